namespace Plugboard.Server.Http;

public static class ApiErrorMetadata
{
    /// Declares error statuses a route's handler can answer beyond those derived from its metadata
    /// (see OpenApi/OpenApiErrorResponses): a 404 for an id in the body or query, a 409 conflict.
    public static TBuilder ProducesApiError<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var status in statuses)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ApiError), [ApiErrorResult.ContentType]));
            }
        });
        return builder;
    }
}
