using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Activities.Notify;

/// <summary>A notification as the step describes it, before it takes a platform's shape.</summary>
public sealed record Notification(string? Title, string Text, IReadOnlyList<string> Mentions)
{
    /// <summary>"all" or "@all" mentions everyone.</summary>
    public bool MentionsAll => Mentions.Any(m => m.TrimStart('@').Equals("all", StringComparison.OrdinalIgnoreCase));

    /// <summary>Mentions that look like phone numbers (DingTalk and WeCom mention by mobile).</summary>
    public IReadOnlyList<string> Mobiles => [.. People.Where(WebhookMessages.IsMobile)];

    /// <summary>Mentions that are user ids.</summary>
    public IReadOnlyList<string> UserIds => [.. People.Where(m => !WebhookMessages.IsMobile(m))];

    private IEnumerable<string> People => Mentions.Select(m => m.TrimStart('@')).Where(m => m.Length > 0 && !m.Equals("all", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Each platform's own message body, from its documentation. A title turns a plain text
/// message into the platform's rich form (markdown, or Feishu's post).</summary>
public static partial class WebhookMessages
{
    public static bool IsMobile(string mention) => Mobile().IsMatch(mention);

    /// <summary>DingTalk custom robot: <c>text</c>, or <c>markdown</c> with a title. DingTalk only
    /// highlights a mention whose @mobile or @userId also appears in the text, so they are appended.</summary>
    public static JsonObject DingTalk(Notification n)
    {
        var text = n.Text + MentionLine(n.Mobiles.Concat(n.UserIds).Select(m => "@" + m));
        var at = new JsonObject
        {
            ["atMobiles"] = Strings(n.Mobiles),
            ["atUserIds"] = Strings(n.UserIds),
            ["isAtAll"] = n.MentionsAll,
        };
        return n.Title is null
            ? new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = text }, ["at"] = at }
            : new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["title"] = n.Title, ["text"] = $"### {n.Title}\n\n{text}" },
                ["at"] = at,
            };
    }

    /// <summary>Feishu/Lark custom bot: <c>text</c> (mentions as <c>&lt;at user_id&gt;</c> tags), or
    /// <c>post</c> rich text with a title (mentions as <c>at</c> elements). Mentions are open ids (ou_...).</summary>
    public static JsonObject Feishu(Notification n)
    {
        var ids = n.UserIds.ToList();
        if (n.MentionsAll) ids.Add("all");
        if (n.Title is null)
        {
            var tags = ids.Select(id => $"<at user_id=\"{id}\"></at>");
            return new JsonObject
            {
                ["msg_type"] = "text",
                ["content"] = new JsonObject { ["text"] = n.Text + MentionLine(tags) },
            };
        }

        var lines = new JsonArray();
        foreach (var line in n.Text.Split('\n'))
            lines.Add(new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = line }));
        if (ids.Count > 0)
            lines.Add(new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["tag"] = "at", ["user_id"] = id })]));
        return new JsonObject
        {
            ["msg_type"] = "post",
            ["content"] = new JsonObject
            {
                ["post"] = new JsonObject { ["zh_cn"] = new JsonObject { ["title"] = n.Title, ["content"] = lines } },
            },
        };
    }

    /// <summary>WeCom group robot: <c>text</c> with <c>mentioned_list</c> / <c>mentioned_mobile_list</c>,
    /// or <c>markdown</c> with a title, where only user ids can be mentioned (<c>&lt;@userid&gt;</c>).</summary>
    public static JsonObject WeCom(Notification n)
    {
        if (n.Title is null)
        {
            var users = n.UserIds.ToList();
            var mobiles = n.Mobiles.ToList();
            if (n.MentionsAll) users.Add("@all");
            var text = new JsonObject { ["content"] = n.Text };
            if (users.Count > 0) text["mentioned_list"] = Strings(users);
            if (mobiles.Count > 0) text["mentioned_mobile_list"] = Strings(mobiles);
            return new JsonObject { ["msgtype"] = "text", ["text"] = text };
        }

        var content = $"### {n.Title}\n{n.Text}" + MentionLine(n.UserIds.Select(id => $"<@{id}>"));
        return new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = content } };
    }

    /// <summary>Slack incoming webhook: <c>text</c> (mrkdwn), plus header and section blocks when there
    /// is a title and both fit Slack's block limits (150 and 3000 characters).</summary>
    public static JsonObject Slack(Notification n)
    {
        var mentions = n.UserIds.Select(id => id.Equals("here", StringComparison.OrdinalIgnoreCase) || id.Equals("channel", StringComparison.OrdinalIgnoreCase) ? $"<!{id.ToLowerInvariant()}>" : $"<@{id}>");
        if (n.MentionsAll) mentions = mentions.Prepend("<!channel>");
        var text = n.Text + MentionLine(mentions);
        if (n.Title is null) return new JsonObject { ["text"] = text };
        var message = new JsonObject { ["text"] = $"*{n.Title}*\n{text}" };
        if (n.Title.Length <= 150 && text.Length <= 3000)
        {
            message["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = n.Title } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } });
        }

        return message;
    }

    /// <summary>A generic receiver gets the step's payload as given, or the notification's own fields.</summary>
    public static JsonNode Generic(Notification n, JsonNode? payload) =>
        payload?.DeepClone() ?? new JsonObject { ["title"] = n.Title, ["text"] = n.Text, ["mentions"] = Strings(n.Mentions) };

    private static string MentionLine(IEnumerable<string> mentions)
    {
        var line = new StringBuilder();
        foreach (var mention in mentions) line.Append(line.Length == 0 ? "\n" : " ").Append(mention);
        return line.ToString();
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    [GeneratedRegex(@"^\+?[0-9][0-9-]{4,19}$")]
    private static partial Regex Mobile();
}
