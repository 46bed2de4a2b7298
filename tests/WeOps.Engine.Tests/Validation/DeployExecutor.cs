using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Engine.Tests.Validation;

/// <summary>An executor with one input of each kind the validator checks at design time.</summary>
[Executor("test.deploy", Category = "Test")]
internal sealed class DeployExecutor : Executor<DeployExecutor.Inputs>
{
    public enum Strategy { Rolling, BlueGreen }

    public sealed record Inputs
    {
        [Input(Required = true, Description = "The service to deploy.")]
        public string? Service { get; init; }

        [Input(Required = true, Default = "1")]
        public int Replicas { get; init; }

        [Input]
        public int? Port { get; init; }

        [Input]
        public bool DryRun { get; init; }

        [Input]
        public Strategy? Mode { get; init; }

        [Input]
        public TimeSpan? Wait { get; init; }

        [Input]
        public List<string>? Hosts { get; init; }

        [Input]
        public JsonObject? Labels { get; init; }

        [Input(Syntax = InputSyntax.Shell)]
        public string? Command { get; init; }

        [Input(Syntax = InputSyntax.Url)]
        public string? Url { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(null);
}
