using System.Net;
using System.Net.Http.Json;

namespace WeOps.Server.Tests;

/// <summary>How the server starts with and without a first admin key.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Without_any_key_the_server_starts_warns_how_to_set_one_and_refuses_calls()
    {
        var log = Path.Combine(Path.GetTempPath(), $"weops-test-{Guid.NewGuid():N}.log");
        try
        {
            await using (var node = await RunningServer.StartAsync(["--Serilog:WriteTo:0:Name=File", $"--Serilog:WriteTo:0:Args:path={log}"]))
            {
                using var response = await node.NewClient().GetAsync("/api/activities");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            var warnings = File.ReadAllLines(log).Where(l => l.Contains("WRN", StringComparison.Ordinal) && l.Contains("Auth__AdminApiKey", StringComparison.Ordinal));
            Assert.Single(warnings);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task A_short_admin_key_stops_the_start_with_a_message_that_says_why()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(["--Auth:AdminApiKey=secret"]));

        Assert.Contains("Auth:AdminApiKey (Auth__AdminApiKey) must have at least 24 characters", error.Message);
    }

    [Theory]
    [InlineData("00:00:00.1")]
    [InlineData("thirty seconds")]
    public async Task A_node_lifetime_that_cannot_work_stops_the_start_with_a_message_that_says_why(string lifetime)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync([$"--Cluster:NodeLifetime={lifetime}"]));

        Assert.Contains($"Cluster:NodeLifetime is '{lifetime}'; it must be a time between 00:00:01 and 01:00:00", error.Message);
    }

    [Theory]
    [InlineData("SignIn:FailuresBeforeLockout=0", "SignIn:FailuresBeforeLockout is 0; it must be between 1 and 1000")]
    [InlineData("SignIn:MaxLockout=00:00:10", "SignIn:MaxLockout is 00:00:10; it must be at least SignIn:Lockout (00:00:30)")]
    [InlineData("SignIn:Lockout=thirty seconds", "SignIn:Lockout")]
    [InlineData("Hooks:TimestampWindow=00:00:01", "Hooks:TimestampWindow must be between 00:00:10 and 01:00:00")]
    public async Task Sign_in_limits_or_a_hook_window_that_cannot_work_stop_the_start_naming_the_setting(string setting, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(["--" + setting]));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("Expressions:Timeout", "0", "Expressions:Timeout is '0'; it must be a time above zero")]
    [InlineData("Expressions:MaxMemoryBytes", "lots", "Expressions:MaxMemoryBytes is 'lots'; it must be a positive whole number")]
    [InlineData("Expressions:MaxStatements", "10000000", "MaxStatements must be between 1 and 174,762")]
    public async Task Expression_limits_out_of_range_stop_the_start_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync([$"--{key}={value}"]));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_configured_expression_limit_stops_the_scripts_of_running_instances()
    {
        await using var node = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", "--Expressions:MaxStatements=50"]);
        var admin = node.NewClient(RunningServer.AdminKey);
        const string Xml = """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="counting" isExecutable="true">
                <bpmn:startEvent id="start"/>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="count"/>
                <bpmn:scriptTask id="count" scriptFormat="javascript"><bpmn:script>let n = 0; for (let i = 0; i &lt; 1000; i++) n += i;</bpmn:script></bpmn:scriptTask>
                <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="end"/>
                <bpmn:endEvent id="end"/>
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await admin.PostAsync("/api/definitions", Http.Body(Xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using (var published = await admin.PostAsJsonAsync("/api/definitions/counting/publish", new { }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        // 1,000 rounds run some 3,000 statements: within the default limit of 100,000, over the configured 50.
        using var started = await admin.PostAsJsonAsync("/api/instances", new { definitionKey = "counting" });
        var instance = await started.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var fault = Assert.Single(instance["faults"]!.AsArray());
        Assert.Equal("count", (string?)fault!["elementId"]);
        Assert.Contains("Expressions:MaxStatements", (string?)fault["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_admin_key_is_the_admin_from_the_first_start()
    {
        await using var node = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}"]);

        using var keys = await node.NewClient(RunningServer.AdminKey).GetAsync("/api/keys");

        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Empty((await keys.JsonAsync()).AsArray());
    }
}
