using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Client;

namespace Plugboard.Server.Pages;

/// The credential fields a piece's registered auth definition asks for, and the value they make. Field names:
/// secret_text; username and password; props.{name} for CUSTOM_AUTH. The server checks the value against the same
/// definition (required props, patterns, types), so this only shapes it; its messages are the ones shown.
public static class CredentialForm
{
    public const string PropPrefix = "props.";

    /// The auth kinds this form can make (OAuth2 needs the consent popup, a later step).
    public static bool Supports(PieceAuthDefinition definition) =>
        definition.Type is "SECRET_TEXT" or "BASIC_AUTH" or "CUSTOM_AUTH" or "NO_AUTH";

    /// Whether a CUSTOM_AUTH prop of this type holds a secret: such inputs are password inputs, never re-rendered.
    public static bool IsSecret(PieceProp prop) => prop.Type is "SECRET_TEXT";

    /// The definition a connection of <paramref name="type"/> was made from, or (a piece not registered) a generic one
    /// for the kinds that need no definition.
    public static PieceAuthDefinition? For(RegisteredPiece? piece, ConnectionType type)
    {
        var wire = type switch
        {
            ConnectionType.SecretText => "SECRET_TEXT",
            ConnectionType.BasicAuth => "BASIC_AUTH",
            ConnectionType.CustomAuth => "CUSTOM_AUTH",
            ConnectionType.NoAuth => "NO_AUTH",
            _ => "OAUTH2",
        };
        return piece?.Auth.FirstOrDefault(a => a.Type == wire)
            ?? (wire is "SECRET_TEXT" or "BASIC_AUTH" ? new PieceAuthDefinition { Type = wire } : null);
    }

    /// The value the posted fields make, and the non-secret fields to show again if the API refuses it.
    public static (ConnectionValue Value, Dictionary<string, string> Kept) Read(PieceAuthDefinition definition, IFormCollection form)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        string Field(string name) => form[name].ToString();
        switch (definition.Type)
        {
            case "SECRET_TEXT":
                return (new SecretTextValue(Field("secret_text")), kept);
            case "BASIC_AUTH":
                kept["username"] = Field("username");
                return (new BasicAuthValue(Field("username"), Field("password")), kept);
            case "NO_AUTH":
                return (new NoAuthValue(), kept);
        }
        var props = new JsonObject();
        foreach (var (name, prop) in definition.Props ?? new Dictionary<string, PieceProp>())
        {
            var text = Field(PropPrefix + name);
            if (!IsSecret(prop))
            {
                kept[name] = text;
            }
            if (prop.Type == "CHECKBOX")
            {
                props[name] = text == "true";
                continue;
            }
            if (text.Length == 0)
            {
                continue; // absent: the server says whether the piece requires it
            }
            props[name] = prop.Type switch
            {
                // Not a number: sent as typed, so the server's "must be a number" is what the user reads.
                "NUMBER" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text),
                "JSON" => ParseJson(text),
                _ => JsonValue.Create(text),
            };
        }
        return (new CustomAuthValue(props), kept);
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// A default externalId from the piece's name: `@acme/piece-gelato` → `gelato`.
    public static string DefaultExternalId(string pieceName)
    {
        var name = pieceName[(pieceName.LastIndexOf('/') + 1)..];
        return name.StartsWith("piece-", StringComparison.Ordinal) ? name["piece-".Length..] : name;
    }
}
