using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Client;

namespace Plugboard.Server.Pages;

/// The connection-definition pages' reading of the generated credential form (seed 004): only the fields typed in
/// count. On a CUSTOMER definition they are the global values every customer inherits (the rest each customer
/// supplies); on the test-credentials page and for an ORGANIZATION credential they are the own part, over the global
/// values. The server checks every part; its messages are the ones shown.
public static class DefinitionForm
{
    /// The OAuth2 fields a definition may fix for every customer (client_secret is a password input).
    public static readonly string[] OAuthFields = ["client_id", "client_secret", "scope"];

    public static bool IsOAuth(ConnectionType type) => type is ConnectionType.OAuth2 or ConnectionType.CloudOAuth2 or ConnectionType.PlatformOAuth2;

    /// The connection type a definition made from this auth kind has; OAuth2 pieces take the one chosen.
    public static ConnectionType TypeFor(PieceAuthDefinition auth, string? oauthType) => auth.Type switch
    {
        "SECRET_TEXT" => ConnectionType.SecretText,
        "BASIC_AUTH" => ConnectionType.BasicAuth,
        "CUSTOM_AUTH" => ConnectionType.CustomAuth,
        "NO_AUTH" => ConnectionType.NoAuth,
        _ => oauthType == "PLATFORM_OAUTH2" ? ConnectionType.PlatformOAuth2 : ConnectionType.OAuth2,
    };

    public static string TypeName(ConnectionType type) => type switch
    {
        ConnectionType.SecretText => "SECRET_TEXT",
        ConnectionType.BasicAuth => "BASIC_AUTH",
        ConnectionType.CustomAuth => "CUSTOM_AUTH",
        ConnectionType.NoAuth => "NO_AUTH",
        ConnectionType.CloudOAuth2 => "CLOUD_OAUTH2",
        ConnectionType.PlatformOAuth2 => "PLATFORM_OAUTH2",
        _ => "OAUTH2",
    };

    /// Whose credentials, in words.
    public static string Whose(ConnectionDefinition d) =>
        d.Credentials == DefinitionCredentials.Organization
            ? "Your organization's"
            : d.SuppliedBy == CredentialSupplier.Organization ? "Customer's, supplied by you" : "Customer's, supplied by the customer";

    /// The fields typed in, shaped as in a value (no `type`); empty inputs and unchecked boxes are left out.
    public static JsonObject Filled(PieceAuthDefinition auth, IFormCollection form)
    {
        var filled = new JsonObject();
        if (auth.Type == "OAUTH2")
        {
            foreach (var name in OAuthFields.Where(n => form[n].ToString().Length > 0))
            {
                filled[name] = form[name].ToString();
            }
            return filled;
        }
        switch (CredentialForm.Read(auth, form).Value)
        {
            case SecretTextValue { SecretText.Length: > 0 } secret:
                filled["secret_text"] = secret.SecretText;
                break;
            case BasicAuthValue basic:
                AddText(filled, "username", basic.Username);
                AddText(filled, "password", basic.Password);
                break;
            case CustomAuthValue custom:
                var props = new JsonObject();
                foreach (var (name, node) in custom.Props)
                {
                    if (node is not null && node.GetValueKind() != JsonValueKind.False)
                    {
                        props[name] = node.DeepClone();
                    }
                }
                if (props.Count > 0)
                {
                    filled["props"] = props;
                }
                break;
        }
        return filled;
    }

    /// The typed fields as a value of the type: the fields left out stay out of the request (the global values
    /// supply them, or the server says which one is missing).
    public static ConnectionValue? Part(ConnectionType type, JsonObject filled) => type switch
    {
        ConnectionType.SecretText => new SecretTextValue(Text(filled, "secret_text")!),
        ConnectionType.BasicAuth => new BasicAuthValue(Text(filled, "username")!, Text(filled, "password")!),
        ConnectionType.CustomAuth => new CustomAuthValue(filled["props"]?.DeepClone() as JsonObject ?? []),
        ConnectionType.NoAuth => new NoAuthValue(),
        _ => null,
    };

    /// A merge patch of the global values: the removed paths set to null, then the typed fields over them.
    public static JsonObject Patch(IEnumerable<string> removed, JsonObject filled)
    {
        var patch = new JsonObject();
        foreach (var path in removed)
        {
            var dot = path.IndexOf('.');
            if (dot < 0)
            {
                patch[path] = null;
                continue;
            }
            if (patch[path[..dot]] is not JsonObject members)
            {
                patch[path[..dot]] = members = [];
            }
            members[path[(dot + 1)..]] = null;
        }
        foreach (var (name, node) in filled)
        {
            if (node is JsonObject members && patch[name] is JsonObject nulls)
            {
                foreach (var (member, value) in members)
                {
                    nulls[member] = value?.DeepClone();
                }
            }
            else
            {
                patch[name] = node?.DeepClone();
            }
        }
        return patch;
    }

    /// A CUSTOM_AUTH definition without the props the global values fix: a customer (or a test credential) leaves
    /// them out.
    public static PieceAuthDefinition WithoutFixed(PieceAuthDefinition auth, IReadOnlyCollection<string> fixedPaths) =>
        auth.Props is null
            ? auth
            : auth with { Props = auth.Props.Where(p => !fixedPaths.Contains(CredentialForm.PropPrefix + p.Key)).ToDictionary(p => p.Key, p => p.Value) };

    /// The same fields, none marked required: what a definition fixes is a choice, each customer supplies the rest.
    public static PieceAuthDefinition AllOptional(PieceAuthDefinition auth) =>
        auth.Props is null ? auth : auth with { Props = auth.Props.ToDictionary(p => p.Key, p => p.Value with { Required = false }) };

    /// The auth kind of a piece a definition of <paramref name="type"/> was made with (OAuth2 pieces' one included).
    public static PieceAuthDefinition? AuthFor(RegisteredPiece? piece, ConnectionType type) =>
        IsOAuth(type) ? piece?.Auth.FirstOrDefault(a => a.Type == "OAUTH2") : CredentialForm.For(piece, type);

    private static void AddText(JsonObject filled, string name, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            filled[name] = text;
        }
    }

    private static string? Text(JsonObject filled, string name) => filled[name]?.GetValue<string>();
}
