using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

using Plugboard.Server.Http;

namespace Plugboard.Server.OpenApi;

/// The error responses an operation can really give, each as the one error body (application/problem+json).
/// What endpoint metadata shows is derived here: 401 where a credential is required, 403 where a policy can
/// refuse one, 404 where a route value is looked up, 400 where input is parsed, 413/415 where a body is read,
/// 429 everywhere (the global rate limiter sees every request). The rest a route declares with
/// <see cref="ApiErrorMetadata.ProducesApiError{TBuilder}"/>.
public sealed class OpenApiErrorResponses : IOpenApiOperationTransformer
{
    private static readonly string[] ParsedQueryParameters = ["limit", "cursor"];

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The input is invalid: VALIDATION (or a more specific code) names the field.",
        [StatusCodes.Status401Unauthorized] = "AUTHENTICATION: no credential, or not a valid one for this route.",
        [StatusCodes.Status403Forbidden] = "AUTHORIZATION: the credential is valid but may not do this.",
        [StatusCodes.Status404NotFound] = "ENTITY_NOT_FOUND: it does not exist, or the caller cannot see it (the two look the same).",
        [StatusCodes.Status409Conflict] = "A conflict: the entity exists already, or another request changed it first.",
        [StatusCodes.Status413PayloadTooLarge] = "PAYLOAD_TOO_LARGE: the body is over 1 MiB.",
        [StatusCodes.Status415UnsupportedMediaType] = "UNSUPPORTED_MEDIA_TYPE: send the body as application/json.",
        [StatusCodes.Status429TooManyRequests] = "TOO_MANY_REQUESTS: over the rate limit; the Retry-After header says when to retry.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var statuses = Derived(context).Concat(Declared(context)).Distinct().Order().ToList();
        if (context.Document!.Components?.Schemas?.ContainsKey(nameof(ApiError)) != true)
        {
            context.Document.AddComponent(nameof(ApiError), await context.GetOrCreateSchemaAsync(typeof(ApiError), null, cancellationToken));
        }
        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = Descriptions.GetValueOrDefault(status, "An error."),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ApiErrorResult.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(ApiError), context.Document) },
                },
            };
        }
    }

    private static IEnumerable<int> Derived(OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        yield return StatusCodes.Status429TooManyRequests;
        if (OpenApiSecurity.Accepted(metadata).Count > 0)
        {
            yield return StatusCodes.Status401Unauthorized;
        }
        if (OpenApiSecurity.CanRefuse(metadata))
        {
            yield return StatusCodes.Status403Forbidden;
        }
        var parameters = description.ParameterDescriptions;
        if (parameters.Any(p => p.Source == BindingSource.Path))
        {
            yield return StatusCodes.Status404NotFound;
        }
        var readsBody = parameters.Any(p => p.Source == BindingSource.Body);
        if (readsBody)
        {
            yield return StatusCodes.Status413PayloadTooLarge;
            yield return StatusCodes.Status415UnsupportedMediaType;
        }
        // A body is parsed; so are query values bound to a non-string type, and the paging parameters.
        if (readsBody || parameters.Any(p => p.Source == BindingSource.Query &&
                (ParsedQueryParameters.Contains(p.Name) || (Nullable.GetUnderlyingType(p.Type) ?? p.Type) is var t && t != typeof(string) && t != typeof(string[]))))
        {
            yield return StatusCodes.Status400BadRequest;
        }
    }

    private static IEnumerable<int> Declared(OpenApiOperationTransformerContext context) =>
        context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.Type == typeof(ApiError))
            .Select(m => m.StatusCode);
}
