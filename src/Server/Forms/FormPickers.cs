using System.Text.Json.Nodes;
using WeOps.Activities.Inventory;
using WeOps.Activities.Tickets;
using WeOps.Engine.Approvals;
using WeOps.Engine.Forms;

namespace WeOps.Server.Forms;

/// <summary>The options of a picker field, as form-js options (<c>{label, value}</c>): the people of the user
/// directory, their groups, the host inventory, or the open tickets.</summary>
public sealed class FormPickers(UserDirectory users, HostStore hosts, TicketStore tickets)
{
    /// <summary>The most options a picker offers; a longer list is cut, newest tickets first.</summary>
    public const int MaxOptions = 500;

    public async Task<JsonArray> OptionsAsync(FormPicker picker, CancellationToken cancellationToken)
    {
        IEnumerable<(string Label, string Value)> options = picker switch
        {
            FormPicker.Users => (await users.ListAsync(cancellationToken)).Select(u => (u.DisplayName is null ? u.Username : $"{u.DisplayName} ({u.Username})", u.Username)),
            FormPicker.Groups => (await users.ListAsync(cancellationToken)).SelectMany(u => u.Groups).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(g => (g, g)),
            FormPicker.Hosts => (await hosts.ListAsync(cancellationToken)).Select(h => ($"{h.Name} ({h.Address})", h.Name)),
            FormPicker.Tickets => (await tickets.ListAsync(new TicketQuery(Limit: MaxOptions), cancellationToken)).Items.Select(t => ($"{t.Number} {t.Title}", t.Number)),
            FormPicker.None => [],
            _ => throw new ArgumentOutOfRangeException(nameof(picker), picker, null),
        };
        return new JsonArray(options.Take(MaxOptions).Select(o => (JsonNode)new JsonObject { ["label"] = o.Label, ["value"] = o.Value }).ToArray());
    }
}
