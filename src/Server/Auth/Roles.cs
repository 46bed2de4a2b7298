namespace WeOps.Server.Auth;

/// <summary>The roles a key or a user can hold. What each role may do is in <see cref="Permissions"/>.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Designer = "designer";
    public const string Operator = "operator";
    public const string Approver = "approver";

    /// <summary>A machine that only sends alerts (Alertmanager, Grafana, Zabbix).</summary>
    public const string AlertSource = "alert-source";

    public static readonly IReadOnlyList<string> All = [Admin, Designer, Operator, Approver, AlertSource];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
