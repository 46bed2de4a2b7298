using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;
using WeOps.Server.Approvals;
using WeOps.Server.Forms;

namespace WeOps.Server.Endpoints;

/// <summary>The pages an approval link opens. Anonymous: the token in the path is the credential. GET shows what
/// would be decided and changes nothing (mail scanners follow links); the decision is a POST of that page's form.</summary>
public static class ApprovalPagesEndpoints
{
    /// <summary>A decision form is a comment of at most 2000 characters, two short fields and the approval form's fields.</summary>
    public const long MaxFormBytes = 64 * 1024;

    /// <summary>The page's own inputs and the approval form's fields (a checklist posts one value per ticked option).</summary>
    private const int MaxFormValues = 200;

    public static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/approve").AllowAnonymous().ExcludeFromDescription();

        pages.MapGet("/{token}", async (string token, string? decision, HttpContext http, ApprovalDesk desk, ApprovalFormToken forms, InstanceQueries queries,
            ProcessForms processForms, CancellationToken cancellationToken) =>
        {
            var view = await desk.OpenAsync(token, cancellationToken);
            if (view.Status != LinkStatus.Open) return Closed(http, view.Status, view.Message);
            var shown = await FormOfAsync(view, queries, processForms, cancellationToken);
            return Html(http, 200, ApprovalPages.Confirmation(view, forms.Issue(view.LinkId), ApprovalOutcomes.IsDecision(decision) ? decision : null, shown?.Schema, shown?.Data));
        });

        pages.MapPost("/{token}", async (string token, HttpContext http, ApprovalDesk desk, ApprovalFormToken forms, InstanceQueries queries, ProcessForms processForms,
            ILogger<ApprovalDesk> log, CancellationToken cancellationToken) =>
        {
            var request = http.Request;
            if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
                return Html(http, 415, ApprovalPages.Problem("Not a decision form", "Send the decision from the confirmation page (a form of type application/x-www-form-urlencoded)."));
            if (request.ContentLength > MaxFormBytes)
                return Html(http, 413, ApprovalPages.Problem("Too much to read", $"A decision form may have at most {MaxFormBytes / 1024} KB."));
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxFormBytes;

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = MaxFormValues, ValueLengthLimit = (int)MaxFormBytes, KeyLengthLimit = 100 }, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
            {
                return Html(http, 400, ApprovalPages.Problem("The form could not be read", "Open the link again and send the decision from its page."));
            }

            var view = await desk.OpenAsync(token, cancellationToken);
            if (view.Status != LinkStatus.Open) return Closed(http, view.Status, view.Message);
            if (!forms.IsValidFor(form["form"], view.LinkId))
                return Html(http, 400, ApprovalPages.Problem("Please confirm again",
                    "This decision did not come from this link's confirmation page, or the page is more than two hours old. Open the link again to decide."));
            string? decision = form["decision"];
            if (!ApprovalOutcomes.IsDecision(decision))
                return Html(http, 400, ApprovalPages.Problem("No decision", "Press Approve or Reject on the confirmation page."));
            string? comment = form["comment"];
            if (comment?.Length > 2000)
                return Html(http, 400, ApprovalPages.Problem("The comment is too long", "A comment may have at most 2000 characters."));

            JsonObject? variables = null;
            if (await FormOfAsync(view, queries, processForms, cancellationToken) is { } shown)
            {
                var check = shown.Check(ApprovalFormFields.Read(shown.Schema, form, shown.Data), decision);
                if (!check.IsValid)
                {
                    var values = (JsonObject)shown.Data.DeepClone();
                    foreach (var field in shown.Schema.Fields)
                        values[field.Key] = check.Variables[field.Key]?.DeepClone();
                    return Html(http, 422, ApprovalPages.Confirmation(view, forms.Issue(view.LinkId), decision, shown.Schema, values, check.Errors));
                }

                variables = new JsonObject(shown.Schema.Fields.Select(f => KeyValuePair.Create(f.Key, check.Variables[f.Key]?.DeepClone())));
                if (check.Variables["comment"] is JsonValue reason && shown.Schema.Fields.Any(f => f.Key == "comment")) comment = reason.ToString();
            }

            var result = await desk.DecideByLinkAsync(token, decision!, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), variables, cancellationToken);
            log.LogInformation("Approval link {Link} of {Approver}: {Decision} -> {Status}", view.LinkId, view.Approver, decision, result.Status);
            return result.Status switch
            {
                DecisionStatus.Decided => Html(http, 200, ApprovalPages.Decided(decision!, result.Outcome)),
                DecisionStatus.Used => Html(http, 410, ApprovalPages.Problem("Already used", result.Message)),
                DecisionStatus.Expired => Html(http, 410, ApprovalPages.Problem("Expired", result.Message)),
                DecisionStatus.Closed => Html(http, 410, ApprovalPages.Problem("Nothing to decide", result.Message)),
                DecisionStatus.Unknown => Html(http, 404, ApprovalPages.Problem("Link not valid", result.Message)),
                _ => Html(http, 409, ApprovalPages.Problem("Not recorded", result.Message)),
            };
        });
    }

    private static async Task<ShownForm?> FormOfAsync(ApprovalLinkView view, InstanceQueries queries, ProcessForms forms, CancellationToken cancellationToken) =>
        await queries.TaskAsync(view.TaskId, cancellationToken) is { } task ? await forms.ForTaskAsync(task, cancellationToken) : null;

    private static IResult Closed(HttpContext http, LinkStatus status, string message) => status switch
    {
        LinkStatus.Unknown => Html(http, 404, ApprovalPages.Problem("Link not valid", message)),
        LinkStatus.Used => Html(http, 410, ApprovalPages.Problem("Already used", message)),
        LinkStatus.Expired => Html(http, 410, ApprovalPages.Problem("Expired", message)),
        _ => Html(http, 410, ApprovalPages.Problem("Nothing to decide", message)),
    };

    /// <summary>A page that is never cached, framed, or sent on as a referrer (its address holds the token).</summary>
    private static IResult Html(HttpContext http, int status, string html)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
