using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Dmn;

/// <summary>The value of a decision and the decision table rules that matched on the way to it.</summary>
public sealed record DecisionResult(object? Value, IReadOnlyList<MatchedRule> MatchedRules);

/// <summary>Evaluates decisions of a model through their requirement graph: required decisions first, input data by name, knowledge models as functions.</summary>
public sealed class DecisionEvaluator(DecisionModel model)
{
    /// <summary>How deeply decisions and functions may nest, so a recursive knowledge model cannot exhaust the stack.</summary>
    public const int MaxDepth = 200;

    private readonly TypeChecker types = new(model.ItemTypes);
    private readonly Dictionary<string, object> byId = Index(model);
    private Scope? modelScope;

    /// <summary>The built-in functions and the model's item definitions for <c>instance of</c>.</summary>
    private Scope ModelScope => modelScope ??= new Scope(Scope.Root).Set(InstanceOfNode.ItemTypes,
        new Func<object?, string, bool?>((value, name) => model.ItemTypes.ContainsKey(name) ? value is not null && types.Conforms(value, name) : null));

    public DecisionResult Evaluate(string decisionNameOrId, IReadOnlyDictionary<string, object?> inputs)
    {
        var decision = model.FindDecision(decisionNameOrId)
            ?? throw new DecisionEvaluationException($"the model has no decision named '{decisionNameOrId}'", null);
        var evaluation = new Evaluation(types, MaxDepth);
        var value = new Run(this, evaluation, inputs).Decide(decision);
        return new DecisionResult(value, evaluation.MatchedRules);
    }

    /// <summary>Invokes a decision service with its parameters by name.</summary>
    public object? InvokeService(string serviceName, IReadOnlyDictionary<string, object?> parameters)
    {
        var service = model.Services.FirstOrDefault(s => s.Name == serviceName)
            ?? throw new DecisionEvaluationException($"the model has no decision service named '{serviceName}'", null);
        var evaluation = new Evaluation(types, MaxDepth);
        var function = new ServiceFunction(this, service, evaluation);
        return function.InvokeNamed(function.Parameters.Select(p => (p, parameters.TryGetValue(p, out var v) ? v : null)).ToList());
    }

    private static Dictionary<string, object> Index(DecisionModel model)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var d in model.Decisions) map[d.Id] = d;
        foreach (var i in model.Inputs) map[i.Id] = i;
        foreach (var k in model.KnowledgeModels) map[k.Id] = k;
        foreach (var s in model.Services) map[s.Id] = s;
        return map;
    }

    private sealed class Run(DecisionEvaluator owner, Evaluation evaluation, IReadOnlyDictionary<string, object?> inputs)
    {
        private readonly Dictionary<string, object?> decided = new(StringComparer.Ordinal);
        private readonly HashSet<string> deciding = new(StringComparer.Ordinal);

        public void Preset(Decision d, object? value) => decided[d.Id] = value;

        public object? Decide(Decision decision)
        {
            if (decided.TryGetValue(decision.Id, out var known)) return known;
            if (!deciding.Add(decision.Id))
                throw new DecisionEvaluationException($"decision '{decision.Name}' requires itself", decision.Id);
            using var depth = evaluation.Enter(decision.Id);
            var scope = new Scope(owner.ModelScope);
            foreach (var id in decision.Requires.Decisions)
            {
                if (owner.byId.GetValueOrDefault(id) is Decision required) scope.Set(required.Name, Decide(required));
            }
            foreach (var id in decision.Requires.Inputs)
            {
                if (owner.byId.GetValueOrDefault(id) is InputData input)
                    scope.Set(input.Name, owner.types.Coerce(inputs.TryGetValue(input.Name, out var v) ? v : null, input.TypeRef));
            }
            BindKnowledge(scope, decision.Requires.Knowledge);
            var value = decision.Logic?.Eval(scope, evaluation);
            value = owner.types.Coerce(value, decision.TypeRef);
            deciding.Remove(decision.Id);
            decided[decision.Id] = value;
            return value;
        }

        private void BindKnowledge(Scope scope, IReadOnlyList<string> ids)
        {
            foreach (var id in ids)
            {
                switch (owner.byId.GetValueOrDefault(id))
                {
                    case KnowledgeModel bkm:
                        var closure = new Scope(owner.ModelScope);
                        closure.Set(bkm.Name, null);
                        BindKnowledge(closure, bkm.Requires.Knowledge.Where(k => k != bkm.Id).ToList());
                        var function = bkm.Logic?.Eval(closure, evaluation);
                        closure.Set(bkm.Name, function);
                        scope.Set(bkm.Name, function);
                        break;
                    case DecisionService service:
                        scope.Set(service.Name, new ServiceFunction(owner, service, evaluation));
                        break;
                }
            }
        }
    }

    /// <summary>A decision service called as a function: its input data then its input decisions are the parameters.</summary>
    private sealed class ServiceFunction(DecisionEvaluator owner, DecisionService service, Evaluation evaluation) : FeelFunction
    {
        public override IReadOnlyList<string> Parameters { get; } =
            service.InputData.Select(id => (owner.byId.GetValueOrDefault(id) as InputData)?.Name ?? id)
                .Concat(service.InputDecisions.Select(id => (owner.byId.GetValueOrDefault(id) as Decision)?.Name ?? id)).ToList();

        public override object? Invoke(IReadOnlyList<object?> args)
        {
            if (args.Count != Parameters.Count) return null;
            using var depth = evaluation.Enter(service.Id);
            var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < service.InputData.Count; i++) inputs[Parameters[i]] = args[i];
            var run = new Run(owner, evaluation, inputs);
            for (var i = 0; i < service.InputDecisions.Count; i++)
            {
                if (owner.byId.GetValueOrDefault(service.InputDecisions[i]) is Decision d)
                    run.Preset(d, owner.types.Coerce(args[service.InputData.Count + i], d.TypeRef));
            }
            var outputs = service.OutputDecisions.Select(id => owner.byId.GetValueOrDefault(id)).OfType<Decision>().ToList();
            if (outputs.Count == 1) return run.Decide(outputs[0]);
            var context = new FeelContext();
            foreach (var d in outputs) context.Set(d.Name, run.Decide(d));
            return context;
        }
    }
}
