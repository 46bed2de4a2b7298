using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeOps.Engine.Executors;

/// <summary>Base class for executors with a typed inputs record: the descriptor comes from the
/// attributes, inputs are validated against it and bound to <typeparamref name="TInputs"/>.</summary>
public abstract class Executor<TInputs> : IExecutor where TInputs : class
{
    private ExecutorInputValidator? validator;

    protected Executor()
    {
        Descriptor = ExecutorDescriptor.FromType(GetType(), typeof(TInputs));
    }

    public ExecutorDescriptor Descriptor { get; }

    private ExecutorInputValidator Validator => validator ??= new ExecutorInputValidator(Descriptor);

    public Task<JsonNode?> ExecuteAsync(JsonObject inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        inputs = ExecutorInputValidator.ReadLiterals(Descriptor, inputs);
        var result = Validator.Validate(inputs);
        if (!result.IsValid)
            throw new ExecutorInputException(string.Join("; ", result.Errors.Select(e => e.ErrorMessage)));
        TInputs typed;
        try
        {
            typed = inputs.Deserialize<TInputs>(ExecutorJson.Options)
                ?? throw new ExecutorInputException($"{Descriptor.Type}: inputs are missing.");
        }
        catch (JsonException e)
        {
            throw new ExecutorInputException($"{Descriptor.Type}: {e.Message}");
        }

        return ExecuteAsync(typed, context, cancellationToken);
    }

    protected abstract Task<JsonNode?> ExecuteAsync(TInputs inputs, ExecutorContext context, CancellationToken cancellationToken);

    public override string ToString() => GetType().GetCustomAttribute<ExecutorAttribute>()?.Type ?? GetType().Name;
}
