using System.Text.Json.Nodes;
using FluentValidation;
using WeOps.Engine.Persistence;
using WeOps.Server.Api;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Messages and signals from outside: correlated to waiting instances, or starting processes.</summary>
public static class EventsEndpoints
{
    public sealed record MessageRequest(string? Name, string? CorrelationKey, JsonObject? Variables);

    public sealed record SignalRequest(string? Name, JsonObject? Variables);

    public sealed class MessageRequestValidator : AbstractValidator<MessageRequest>
    {
        public MessageRequestValidator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("name is required: the message name the process waits for.").MaximumLength(200).WithMessage("name may have at most 200 characters.");
            RuleFor(r => r.CorrelationKey).MaximumLength(200).WithMessage("correlationKey may have at most 200 characters.");
        }
    }

    public sealed class SignalRequestValidator : AbstractValidator<SignalRequest>
    {
        public SignalRequestValidator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("name is required: the signal to broadcast.").MaximumLength(200).WithMessage("name may have at most 200 characters.");
        }
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", async (MessageRequest request, Correlator correlator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await correlator.PublishMessageAsync(request.Name!, request.CorrelationKey, request.Variables, cancellationToken)))
            .WithTags("Events").RequirePermission(Permissions.InstancesOperate).Validates(new MessageRequestValidator());

        app.MapPost("/api/signals", async (SignalRequest request, Correlator correlator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await correlator.BroadcastSignalAsync(request.Name!, request.Variables, cancellationToken)))
            .WithTags("Events").RequirePermission(Permissions.InstancesOperate).Validates(new SignalRequestValidator());
    }
}
