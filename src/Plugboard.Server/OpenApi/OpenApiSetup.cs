using Plugboard.Server.Http;

namespace Plugboard.Server.OpenApi;

/// The OpenAPI document at /openapi/v1.json, shaped for client generators: named operations with
/// summaries, the real security and error responses of each route, enums and the connection value union.
public static class OpenApiSetup
{
    public static IServiceCollection AddPlugboardOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<OpenApiSchemas>();
            options.AddOperationTransformer<OpenApiSecurity>();
            options.AddOperationTransformer<OpenApiErrorResponses>();
            options.AddOperationTransformer<OpenApiParameters>();
            options.AddDocumentTransformer<OpenApiDocumentInfo>();
            options.AddDocumentTransformer<ConnectionValueSchemas>();
        });
}
