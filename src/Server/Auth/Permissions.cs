namespace WeOps.Server.Auth;

/// <summary>One permission per kind of route, and the one table of which role grants which
/// (ADR 0005). A route names its permission with <see cref="PermissionEndpointExtensions.RequirePermission{TBuilder}"/>.</summary>
public static class Permissions
{
    public const string DefinitionsRead = "definitions:read";
    public const string DefinitionsWrite = "definitions:write";
    public const string InstancesRead = "instances:read";
    public const string InstancesOperate = "instances:operate";
    public const string TasksWork = "tasks:work";
    public const string ActivitiesRead = "activities:read";

    /// <summary>Names and kinds of credentials (never values), for the designer's credential pickers.</summary>
    public const string CredentialsRead = "credentials:read";
    public const string InventoryRead = "inventory:read";

    /// <summary>Read tickets; open, comment on and move them.</summary>
    public const string TicketsRead = "tickets:read";
    public const string TicketsWrite = "tickets:write";

    /// <summary>Call <c>/hooks/...</c> routes whose start event authenticates callers by API key.</summary>
    public const string HooksCall = "hooks:call";
    /// <summary>Send alerts to the intake endpoints.</summary>
    public const string AlertsIngest = "alerts:ingest";
    public const string Admin = "admin";

    /// <summary>The role → permission matrix: the only place that says what a role may do.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> ByRole = new Dictionary<string, IReadOnlySet<string>>
    {
        [Roles.Admin] = new HashSet<string>
        {
            DefinitionsRead, DefinitionsWrite, InstancesRead, InstancesOperate, TasksWork, ActivitiesRead, CredentialsRead, InventoryRead, HooksCall, AlertsIngest, Admin,
            TicketsRead, TicketsWrite,
        },
        [Roles.Designer] = new HashSet<string> { DefinitionsRead, DefinitionsWrite, InstancesRead, TasksWork, ActivitiesRead, CredentialsRead, InventoryRead, TicketsRead },
        [Roles.Operator] = new HashSet<string>
        {
            DefinitionsRead, InstancesRead, InstancesOperate, TasksWork, ActivitiesRead, CredentialsRead, InventoryRead, HooksCall, AlertsIngest, TicketsRead, TicketsWrite,
        },
        [Roles.Approver] = new HashSet<string> { DefinitionsRead, InstancesRead, TasksWork, ActivitiesRead, TicketsRead },
        [Roles.AlertSource] = new HashSet<string> { AlertsIngest },
    };

    public static readonly IReadOnlyList<string> All =
        [DefinitionsRead, DefinitionsWrite, InstancesRead, InstancesOperate, TasksWork, ActivitiesRead, CredentialsRead, InventoryRead, HooksCall, AlertsIngest, Admin, TicketsRead, TicketsWrite];

    public static bool IsGranted(IEnumerable<string> roles, string permission) =>
        roles.Any(role => ByRole.TryGetValue(role, out var granted) && granted.Contains(permission));

    /// <summary>The roles that grant a permission, for messages that tell a caller what it lacks.</summary>
    public static IReadOnlyList<string> RolesGranting(string permission) =>
        Roles.All.Where(role => ByRole[role].Contains(permission)).ToList();
}
