using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Server.Tests;

/// <summary>The designer shows every executor in English and Simplified Chinese: /api/activities carries
/// both for each name, summary, description, input help text and option label.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class ActivityTextsTests(ServerFixture server)
{
    [Fact]
    public async Task Every_executor_has_its_name_summary_and_description_in_English_and_Chinese()
    {
        var activities = await ActivitiesAsync();

        Assert.NotEmpty(activities);
        var missing = new List<string>();
        foreach (var activity in activities)
        {
            var type = (string)activity["type"]!;
            foreach (var field in new[] { "names", "summaries", "descriptions" })
            {
                Expect(missing, $"{type} {field}", activity[field]);
            }

            // A summary is a tooltip: one short sentence.
            var summary = (string?)activity["summaries"]?["en"] ?? "";
            if (summary.Length > 90) missing.Add($"{type} summaries.en is {summary.Length} characters, over a tooltip's 90");
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task Every_input_help_text_and_option_label_is_in_English_and_Chinese()
    {
        var activities = await ActivitiesAsync();

        var missing = new List<string>();
        foreach (var activity in activities)
        {
            foreach (var input in activity["inputs"]!.AsArray())
            {
                var where = $"{activity["type"]} input {input!["name"]}";
                Expect(missing, where, input["descriptions"]);
                var options = input["options"]!.AsArray().Select(o => (string)o!).ToList();
                var labels = input["optionLabels"]!.AsArray();
                Assert.Equal(options, labels.Select(l => (string)l!["value"]!).ToList());
                foreach (var label in labels) Expect(missing, $"{where} option {label!["value"]}", label["label"]);
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task The_Chinese_texts_are_Chinese_and_the_English_ones_stay_as_they_were()
    {
        var activities = await ActivitiesAsync();

        var ssh = Assert.Single(activities, a => (string?)a["type"] == "ssh.exec");
        Assert.Equal("Run over SSH", (string?)ssh["displayName"]);
        Assert.Equal("Run over SSH", (string?)ssh["names"]!["en"]);
        Assert.Equal("通过 SSH 执行", (string?)ssh["names"]!["zh-CN"]);
        var failWhen = Assert.Single(ssh["inputs"]!.AsArray(), i => (string?)i!["name"] == "failWhen")!;
        Assert.Equal("任一主机失败", (string?)Assert.Single(failWhen["optionLabels"]!.AsArray(), o => (string?)o!["value"] == "anyHost")!["label"]!["zh-CN"]);
    }

    private async Task<List<JsonNode>> ActivitiesAsync()
    {
        using var response = await server.Client.GetAsync("/api/activities");
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).AsArray().Select(a => a!).ToList();
    }

    /// <summary>Notes a text that is empty in either language, or a Chinese one without Chinese in it.</summary>
    private static void Expect(List<string> missing, string where, JsonNode? texts)
    {
        var english = (string?)texts?["en"];
        var chinese = (string?)texts?["zh-CN"];
        if (string.IsNullOrWhiteSpace(english)) missing.Add($"{where}: no English");
        if (string.IsNullOrWhiteSpace(chinese)) missing.Add($"{where}: no Chinese");
        else if (!Han().IsMatch(chinese) && chinese != english) missing.Add($"{where}: '{chinese}' is not Chinese");
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
