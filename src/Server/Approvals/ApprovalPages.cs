using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using WeOps.Activities.Approvals;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Forms;
using WeOps.Engine.Model;

namespace WeOps.Server.Approvals;

/// <summary>The HTML an approver sees: the confirmation page, the result, and the pages for links that no longer
/// decide anything. Every value from a process or a person is HTML-encoded.</summary>
public static class ApprovalPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <param name="form">The approval's form, if it has one; <paramref name="values"/> fill it (the form data, with
    /// what was posted over it) and <paramref name="errors"/> are shown beside their fields.</param>
    public static string Confirmation(ApprovalLinkView view, string formToken, string? preselected, FormSchema? form = null, JsonObject? values = null,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var body = new StringBuilder();
        var forSeat = view.Seat!.StartsWith(ApprovalState.GroupPrefix, StringComparison.Ordinal) ? $" for {ApprovalState.Describe(view.Seat)}" : "";
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(view.Title ?? "Approval")}</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"who\">Deciding as <strong>{E(view.Approver!)}</strong>{E(forSeat)}</p>");
        body.Append("<table>");
        if (view.Requester is not null) Row(body, "Requested by", view.Requester);
        Row(body, "Process", view.ProcessKey ?? "");
        if (view.TaskName is not null && view.TaskName != view.Title) Row(body, "Step", view.TaskName);
        foreach (var (name, value) in view.Fields ?? [])
            Row(body, name, ApprovalMailer.Display(value));
        Row(body, "Rule", Policy(view));
        if (view.Decisions.Count > 0)
            Row(body, "Decided so far", string.Join("; ", view.Decisions.Select(d => $"{d.Approver}: {d.Decision}")));
        if (view.ExpiresAt is { } expires) Row(body, "Decide before", expires.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        body.Append("</table>");
        var approveFirst = preselected != ApprovalOutcomes.Reject;
        body.Append("<form method=\"post\" action=\"\">");
        body.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"form\" value=\"{E(formToken)}\">");
        if (errors is { Count: > 0 }) body.Append("<p class=\"error\" role=\"alert\">Nothing was decided: correct the fields marked below.</p>");
        if (form is not null) ApprovalFormFields.Render(body, form, values ?? [], errors);
        // A form with its own "comment" field (a reason on reject) replaces the page's comment.
        if (form?.Fields.Any(f => f.Key == "comment") != true)
            body.Append("<label for=\"comment\">Comment (optional)</label><textarea id=\"comment\" name=\"comment\" maxlength=\"2000\" rows=\"4\"></textarea>");
        body.Append("<div class=\"buttons\">");
        body.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\" class=\"approve\"{(approveFirst && preselected is not null ? " autofocus" : "")}>Approve</button>");
        body.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" name=\"decision\" value=\"reject\" id=\"reject\" class=\"reject\"{(!approveFirst ? " autofocus" : "")}>Reject</button>");
        body.Append("</div></form>");
        body.Append("<p class=\"note\">Nothing is decided until you press a button. This link works once.</p>");
        return Page("Approval: " + (view.Title ?? ""), body.ToString());
    }

    public static string Decided(string decision, string? outcome)
    {
        var verb = decision == ApprovalOutcomes.Approve ? "approved" : "rejected";
        var then = outcome switch
        {
            ApprovalOutcomes.Approved => "The request is now approved; the process continues.",
            ApprovalOutcomes.Rejected => "The request is now rejected; the process continues on its rejected path.",
            _ => "The request still waits for other approvers.",
        };
        return Page("Decision recorded", $"<h1 id=\"result\">You {verb} the request</h1><p>{E(then)}</p><p class=\"note\">You can close this page.</p>");
    }

    public static string Problem(string heading, string message) =>
        Page(heading, $"<h1 id=\"result\">{E(heading)}</h1><p>{E(message)}</p><p class=\"note\">Nothing was decided with this request.</p>");

    private static string Policy(ApprovalLinkView view) => view.Policy switch
    {
        ApprovalPolicy.Any => $"one approval of {view.Seats} decides",
        ApprovalPolicy.All when view.Seats == 1 => "your approval decides",
        ApprovalPolicy.All => $"all {view.Seats} approvers must approve",
        _ => $"{view.Quorum} of {view.Seats} approvals decide",
    };

    private static void Row(StringBuilder body, string name, string value) =>
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");

    private static string E(string text) => Html.Encode(text);

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{{E(title)}} - WeOps</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
        th{text-align:left;padding:.2rem 1rem .2rem 0;vertical-align:top;color:#555}td{padding:.2rem 0}
        textarea{width:100%;box-sizing:border-box;margin:.3rem 0 1rem}label{display:block;margin-top:1.2rem}
        button{font-size:1rem;padding:.6rem 1.6rem;margin-right:1rem;border:0;border-radius:4px;color:#fff;cursor:pointer}
        input,select{font-size:1rem;padding:.3rem;margin:.3rem 0;max-width:100%}fieldset{margin-top:1.2rem;border:1px solid #ccc}
        .option{display:inline-block;margin:.2rem 1rem 0 0}.error{color:#b71c1c;margin:.2rem 0}.field label{font-weight:600}
        .approve{background:#2e7d32}.reject{background:#c62828}.note{color:#666;font-size:.9rem}.who{color:#444}
        </style></head><body>{{body}}</body></html>
        """;
}
