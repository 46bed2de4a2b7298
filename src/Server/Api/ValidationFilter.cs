using System.Text.Json;
using FluentValidation;

namespace WeOps.Server.Api;

public static class ValidationFilter
{
    /// <summary>Checks the route's <typeparamref name="T"/> argument before the handler runs; a failure is
    /// a 400 validation problem whose <c>errors</c> are keyed by the JSON field (<c>name</c>, <c>roles[1]</c>).</summary>
    public static RouteHandlerBuilder Validates<T>(this RouteHandlerBuilder builder, IValidator<T> validator) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var argument = context.Arguments.OfType<T>().FirstOrDefault();
            if (argument is null) return await next(context);
            var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
            if (result.IsValid) return await next(context);
            var errors = result.Errors
                .GroupBy(e => JsonField(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
            return TypedResults.ValidationProblem(errors);
        }).ProducesValidationProblem();

    private static string JsonField(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
