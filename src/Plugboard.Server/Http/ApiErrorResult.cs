namespace Plugboard.Server.Http;

/// A typed result for every expected failure. Which error statuses each endpoint documents is
/// <see cref="OpenApiErrorResponses"/>'s business: derived from its metadata, or declared with ProducesApiError.
public sealed class ApiErrorResult(ApiError error) : IResult
{
    public const string ContentType = "application/problem+json";

    public ApiError Error { get; } = error;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Error.StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Error, JsonDefaults.Options, ContentType);
    }

    public static implicit operator ApiErrorResult(ApiError error) => new(error);
}
