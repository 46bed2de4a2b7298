using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Tests.Executors;

public sealed class ExecutorTests
{
    public enum Mode { Rolling, AllAtOnce }

    [Executor("test.restart", DisplayName = "Restart service", Category = "Remote", Description = "Restarts a service")]
    [Output("restarted", Type = "array", Description = "Hosts restarted")]
    private sealed class RestartExecutor : Executor<RestartExecutor.Inputs>
    {
        public sealed record Inputs
        {
            [Input(Description = "Service name", Required = true)] public string Service { get; init; } = "";
            [Input(Description = "Hosts", UiHint = "hosts")] public List<string> Hosts { get; init; } = [];
            [Input(Default = "rolling")] public Mode Mode { get; init; }
            [Input] public int Parallelism { get; init; } = 1;
            [Input] public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);
            [Input] public bool DryRun { get; init; }
            public string NotAnInput { get; init; } = "";
        }

        protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(new JsonObject
            {
                ["service"] = inputs.Service,
                ["mode"] = inputs.Mode.ToString(),
                ["parallelism"] = inputs.Parallelism,
                ["timeoutSeconds"] = inputs.Timeout.TotalSeconds,
                ["hosts"] = new JsonArray([.. inputs.Hosts.Select(h => (JsonNode)h)]),
                ["dryRun"] = inputs.DryRun,
            });
    }

    private static readonly ExecutorContext Context = new("i-1", "restart", 1, NullLogger.Instance, new InMemoryLargeOutputStore());

    [Fact]
    public void Descriptor_comes_from_the_attributes_and_the_inputs_record()
    {
        var descriptor = new RestartExecutor().Descriptor;

        Assert.Equal("test.restart", descriptor.Type);
        Assert.Equal("Restart service", descriptor.DisplayName);
        Assert.Equal("Remote", descriptor.Category);
        Assert.Equal(["service", "hosts", "mode", "parallelism", "timeout", "dryRun"], descriptor.Inputs.Select(i => i.Name));
        Assert.True(descriptor.Input("service")!.Required);
        Assert.Equal(InputType.Array, descriptor.Input("hosts")!.Type);
        Assert.Equal("hosts", descriptor.Input("hosts")!.UiHint);
        Assert.Equal(InputType.Enum, descriptor.Input("mode")!.Type);
        Assert.Equal(["rolling", "allAtOnce"], descriptor.Input("mode")!.Options);
        Assert.Equal(InputType.Integer, descriptor.Input("parallelism")!.Type);
        Assert.Equal(InputType.Duration, descriptor.Input("timeout")!.Type);
        Assert.Equal(InputType.Boolean, descriptor.Input("dryRun")!.Type);
        var output = Assert.Single(descriptor.Outputs);
        Assert.Equal(("restarted", "array"), (output.Name, output.Type));
    }

    [Fact]
    public async Task Valid_inputs_are_bound_to_the_record()
    {
        var inputs = new JsonObject { ["service"] = "nginx", ["mode"] = "allAtOnce", ["parallelism"] = "4", ["timeout"] = "PT30S" };

        var output = await new RestartExecutor().ExecuteAsync(inputs, Context, CancellationToken.None);

        Assert.Equal("nginx", output!["service"]!.GetValue<string>());
        Assert.Equal("AllAtOnce", output["mode"]!.GetValue<string>());
        Assert.Equal(4, output["parallelism"]!.GetValue<int>());
        Assert.Equal(30, output["timeoutSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task Whole_numbers_built_in_code_count_as_integers_whatever_their_clr_type()
    {
        foreach (JsonNode parallelism in new JsonNode[] { JsonValue.Create(4), JsonValue.Create(4L), JsonValue.Create((short)4), JsonValue.Create(4m), JsonValue.Create(4.0) })
        {
            var inputs = new JsonObject { ["service"] = "nginx", ["parallelism"] = parallelism };
            var output = await new RestartExecutor().ExecuteAsync(inputs, Context, CancellationToken.None);
            Assert.Equal(4, output!["parallelism"]!.GetValue<int>());
        }

        await Assert.ThrowsAsync<ExecutorInputException>(() =>
            new RestartExecutor().ExecuteAsync(new JsonObject { ["service"] = "nginx", ["parallelism"] = 2.5m }, Context, CancellationToken.None));
    }

    [Fact]
    public async Task Literals_written_as_text_are_read_as_the_json_they_spell()
    {
        // What a file (or the designer's true/false choice) gives without ${}: text, which design-time
        // validation already reads as JSON.
        var inputs = new JsonObject { ["service"] = "nginx", ["dryRun"] = "true", ["hosts"] = """["web-1", "web-2"]""" };

        var output = await new RestartExecutor().ExecuteAsync(inputs, Context, CancellationToken.None);

        Assert.True(output!["dryRun"]!.GetValue<bool>());
        Assert.Equal("""["web-1","web-2"]""", output["hosts"]!.ToJsonString());
        Assert.Equal("true", inputs["dryRun"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{}""", "input 'service' is required")]
    [InlineData("""{"service":"  "}""", "input 'service' is required")]
    [InlineData("""{"service":"nginx","mode":"sideways"}""", "must be one of rolling, allAtOnce")]
    [InlineData("""{"service":"nginx","parallelism":2.5}""", "must be a whole number")]
    [InlineData("""{"service":"nginx","timeout":"5 minutes"}""", "ISO 8601 duration")]
    [InlineData("""{"service":"nginx","hosts":"web-1"}""", "must be an array")]
    [InlineData("""{"service":"nginx","dryRun":"yes"}""", "must be a boolean")]
    [InlineData("""{"service":"nginx","dryRun":"1"}""", "must be a boolean")]
    [InlineData("""{"service":"nginx","hosts":"{\"a\": 1}"}""", "must be an array")]
    public async Task Inputs_that_do_not_fit_the_descriptor_are_refused_with_the_input_named(string json, string phrase)
    {
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() =>
            new RestartExecutor().ExecuteAsync((JsonObject)JsonNode.Parse(json)!, Context, CancellationToken.None));

        Assert.Contains(phrase, error.Message);
        Assert.StartsWith("test.restart:", error.Message);
    }

    [Fact]
    public void A_catalog_refuses_two_executors_of_one_type()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ExecutorCatalog([new NoopExecutor(), new NoopExecutor()]));
        Assert.Contains("'noop'", error.Message);
    }

    [Fact]
    public async Task Noop_returns_its_result_input()
    {
        var output = await new NoopExecutor().ExecuteAsync(new JsonObject { ["result"] = new JsonArray(1, 2) }, Context, CancellationToken.None);

        Assert.Equal("""{"result":[1,2]}""", output!.ToJsonString());
    }
}
