using System.Text.Json.Nodes;

namespace WeOps.Engine.Expressions;

/// <summary>What a script task's script left behind.</summary>
/// <param name="Value">The completion value of the script (the value of its last expression statement).</param>
/// <param name="ChangedVariables">Every global the script created or changed, compared with its input by JSON
/// equality; functions and undefined are left out, and a deleted variable is not reported.</param>
public sealed record ScriptResult(JsonNode? Value, IReadOnlyDictionary<string, JsonNode?> ChangedVariables);
