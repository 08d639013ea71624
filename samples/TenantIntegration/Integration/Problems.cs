using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Plugboard.Client;

namespace Plugboard.Samples.TenantIntegration.Integration;

/// The sample's errors, all application/problem+json (RFC 7807) with a `code` the front end can switch on.
internal static class Problems
{
    public static ProblemHttpResult Invalid(string field, string message) =>
        Problem(StatusCodes.Status400BadRequest, "The request is invalid.", message, "VALIDATION", new() { ["field"] = field });

    /// One answer for "does not exist" and "another tenant's": an id of someone else's reveals nothing.
    public static ProblemHttpResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, $"{what} not found.", null, "NOT_FOUND");

    /// The key rule's last step: neither the tenant's own key nor Plugboard:GlobalApiKey is set.
    public static ProblemHttpResult NotConfigured() =>
        Problem(StatusCodes.Status503ServiceUnavailable, PlugboardNotConfiguredException.DefaultMessage,
            PlugboardNotConfiguredException.DefaultMessage + ": set this tenant's key with POST /api/integration/plugboard/setup, or Plugboard:GlobalApiKey.",
            "PLUGBOARD_NOT_CONFIGURED");

    /// An error Plugboard answered. Its message is passed on (Plugboard never puts a secret in one); a refused key is
    /// the app's problem, not the user's sign-in, so it is a 502 rather than a 401 the browser would take for a logout.
    public static ProblemHttpResult FromPlugboard(PlugboardApiException e) => e.StatusCode switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity =>
            Problem((int)e.StatusCode, "Plugboard refused the request.", e.Message, e.Code),
        HttpStatusCode.NotFound => Problem(StatusCodes.Status404NotFound, "Not found in Plugboard.", e.Message, e.Code),
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            Problem(StatusCodes.Status502BadGateway, "Plugboard refused this tenant's API key.", e.Message, e.Code),
        HttpStatusCode.TooManyRequests => Problem(StatusCodes.Status429TooManyRequests, "Plugboard is rate limiting this key.", null, e.Code),
        _ => Problem(StatusCodes.Status502BadGateway, "Plugboard failed.", null, e.Code),
    };

    public static ProblemHttpResult Unreachable() =>
        Problem(StatusCodes.Status502BadGateway, "Plugboard could not be reached.", null, "PLUGBOARD_UNREACHABLE");

    private static ProblemHttpResult Problem(int status, string title, string? detail, string code, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}

/// Turns the SDK's exceptions into problem answers, once for the whole group.
internal sealed partial class PlugboardErrors(ILogger<PlugboardErrors> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PlugboardNotConfiguredException e)
        {
            NotConfigured(logger, e.TenantId);
            return Problems.NotConfigured();
        }
        catch (PlugboardApiException e)
        {
            Refused(logger, (int)e.StatusCode, e.Code);
            return Problems.FromPlugboard(e);
        }
        catch (HttpRequestException e)
        {
            Unreachable(logger, e.HttpRequestError);
            return Problems.Unreachable();
        }
    }

    // Ids, statuses and codes only: never a key, a token or a connection's value.
    [LoggerMessage(1, LogLevel.Warning, "No Plugboard API key for tenant {TenantId}: neither its own nor the global key is set")]
    private static partial void NotConfigured(ILogger logger, string? tenantId);

    [LoggerMessage(2, LogLevel.Information, "Plugboard answered {Status} {Code}")]
    private static partial void Refused(ILogger logger, int status, string code);

    [LoggerMessage(3, LogLevel.Warning, "Plugboard could not be reached ({Error})")]
    private static partial void Unreachable(ILogger logger, HttpRequestError error);
}
