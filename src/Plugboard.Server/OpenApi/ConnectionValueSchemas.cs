using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Plugboard.Server.Connections;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;

namespace Plugboard.Server.OpenApi;

/// The `value` of a connection upsert and of the worker's read: one shape per connection type, told apart by `type`
/// (the checks are <see cref="ConnectionValue"/>'s). The C# type is a JsonElement, so the shapes are written here.
/// A document transformer, not a schema one: ASP.NET Core inlines the references a schema transformer sets, and
/// the union and its branches are meant to be named components a generator turns into types.
public sealed class ConnectionValueSchemas : IOpenApiDocumentTransformer
{
    public const string UnionName = "ConnectionValue";
    private static readonly string[] Upserts = [nameof(UpsertConnectionRequest), nameof(UpsertGlobalConnectionRequest), nameof(WorkerConnectionDto)];

    private static readonly string[] OAuthStrings =
        ["access_token", "refresh_token", "token_type", "scope", "client_id", "client_secret", "token_url", "redirect_url", "code", "code_challenge", "provider"];

    private static readonly (ConnectionType Type, string Name, string Description)[] Shapes =
    [
        (ConnectionType.SecretText, "SecretTextValue", "A single secret, such as an API key or a bot token."),
        (ConnectionType.BasicAuth, "BasicAuthValue", "A username and password."),
        (ConnectionType.CustomAuth, "CustomAuthValue", "Named properties, as the piece's CUSTOM_AUTH definition lists them."),
        (ConnectionType.OAuth2, "OAuth2Value", "The client's own OAuth2 app: a code to claim (or grant_type client_credentials), or tokens already issued."),
        (ConnectionType.CloudOAuth2, "CloudOAuth2Value", "Tokens already issued (access_token, refresh_token, expires_in, claimed_at): no claim service is called."),
        (ConnectionType.PlatformOAuth2, "PlatformOAuth2Value", "The platform's own OAuth2 app (POST /api/v1/oauth-apps): a code to claim, or tokens already issued."),
        (ConnectionType.NoAuth, "NoAuthValue", "No credentials."),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (type, name, description) in Shapes)
        {
            document.AddComponent(name, Shape(type, description));
        }
        document.AddComponent(UnionName, Union(document));
        foreach (var upsert in Upserts)
        {
            if (document.Components?.Schemas is { } schemas && schemas.TryGetValue(upsert, out var schema) && schema is OpenApiSchema { Properties: { } properties })
            {
                properties["value"] = new OpenApiSchemaReference(UnionName, document);
            }
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema Union(OpenApiDocument document) => new()
    {
        Description = "The credentials, in the shape of the connection's type; value.type must equal type.",
        OneOf = Shapes.Select(s => (IOpenApiSchema)new OpenApiSchemaReference(s.Name, document)).ToList(),
        Discriminator = new OpenApiDiscriminator
        {
            PropertyName = "type",
            Mapping = Shapes.ToDictionary(s => WireEnum<ConnectionType>.Name(s.Type), s => new OpenApiSchemaReference(s.Name, document)),
        },
    };

    private static OpenApiSchema Shape(ConnectionType type, string description)
    {
        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = OpenApiParameters.Enum([WireEnum<ConnectionType>.Name(type)]),
        };
        var required = new HashSet<string>(StringComparer.Ordinal) { "type" };
        switch (type)
        {
            case ConnectionType.SecretText:
                properties["secret_text"] = Text();
                required.Add("secret_text");
                break;
            case ConnectionType.BasicAuth:
                properties["username"] = Text();
                properties["password"] = Text();
                required.UnionWith(["username", "password"]);
                break;
            case ConnectionType.CustomAuth:
                properties["props"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The piece's auth properties by name." };
                required.Add("props");
                break;
            case ConnectionType.NoAuth:
                break;
            default:
                foreach (var field in OAuthStrings)
                {
                    properties[field] = Text();
                }
                properties["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Description = "Seconds the access token lives." };
                properties["claimed_at"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Description = "When the tokens were issued, Unix seconds (milliseconds are recognised)." };
                properties["data"] = new OpenApiSchema { Type = JsonSchemaType.Object };
                properties["props"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Values for the provider's {prop} placeholders." };
                properties["authorization_method"] = OpenApiParameters.Enum(["HEADER", "BODY"]);
                properties["grant_type"] = OpenApiParameters.Enum(["authorization_code", "client_credentials"]);
                break;
        }
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = properties,
            Required = required,
        };
    }

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String, MinLength = 1 };
}
