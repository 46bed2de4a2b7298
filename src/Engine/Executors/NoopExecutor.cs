using System.Text.Json.Nodes;

namespace WeOps.Engine.Executors;

/// <summary>Does no work: returns <c>{ result }</c> with the value it was given. For tests and for
/// sketching a process before its real steps exist.</summary>
[Executor("noop", DisplayName = "No operation", Category = "Utility",
    DisplayNameZh = "空操作", Summary = "Does nothing; handy as a placeholder while drawing.",
    SummaryZh = "什么也不做；绘图时可作占位。",
    DescriptionZh = "什么也不做，把收到的 'result' 原样返回。", Description = "Does nothing and returns the value it was given as 'result'.")]
[Output("result", Description = "The 'result' input, unchanged.")]
public sealed class NoopExecutor : Executor<NoopExecutor.Inputs>
{
    public sealed record Inputs
    {
        [Input(Description = "Any value; returned as the output's 'result'.", UiHint = "json", DescriptionZh = "任意值；作为输出的 'result' 返回。")]
        public JsonNode? Result { get; init; }
    }

    protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(new JsonObject { ["result"] = inputs.Result?.DeepClone() });
}
