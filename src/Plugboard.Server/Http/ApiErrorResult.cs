using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Plugboard.Server.Http;

/// A typed result for every expected failure. It also tells the OpenAPI document that each
/// endpoint returning it can answer with the error body as application/problem+json.
public sealed class ApiErrorResult(ApiError error) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/problem+json";

    public ApiError Error { get; } = error;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Error.StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Error, JsonDefaults.Options, ContentType);
    }

    public static implicit operator ApiErrorResult(ApiError error) => new(error);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in new[] { 400, 401, 403, 404, 409, 413, 429 })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiError), [ContentType]));
        }
    }
}
