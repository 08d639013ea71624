using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Pieces;

/// <summary>The body of <c>POST /api/v1/pieces</c>, built from a <see cref="Piece"/>.</summary>
internal static class PieceMetadata
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static JsonObject Of(Piece piece)
    {
        if (piece.Auth.GroupBy(a => a.Type).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"The piece lists {WireName(twice.Key)} auth twice: the registry takes each type once.");
        }
        RequireUniqueNames(piece.Actions, "actions");
        RequireUniqueNames(piece.Triggers, "triggers");
        var body = new PieceBody(
            piece.Name,
            piece.Version,
            piece.DisplayName,
            piece.Description,
            piece.LogoUrl,
            [.. piece.Auth.Select(AuthOf)],
            [.. piece.Actions.Select(a => new ActionBody(a.Name, a.DisplayName, a.Description, a.RequireAuth, PropsOf(a.Props)))],
            [.. piece.Triggers.Select(t => new TriggerBody(t.Name, t.DisplayName, t.Description, "POLLING", t.RequireAuth, PropsOf(t.Props)))]);
        return JsonSerializer.SerializeToNode(body, Options)!.AsObject();
    }

    /// <summary>An enum value as the metadata writes it, e.g. STATIC_DROPDOWN.</summary>
    public static string WireName<T>(T value) where T : struct, Enum => JsonSerializer.SerializeToElement(value, Options).GetString()!;

    private static void RequireUniqueNames(IEnumerable<PieceOperation> operations, string list)
    {
        if (operations.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new InvalidOperationException($"Two {list} are named '{duplicate.Key}'.");
        }
    }

    private static AuthBody AuthOf(PieceAuth auth)
    {
        var oauth = auth.Type == PieceAuthType.OAuth2;
        return new AuthBody(
            auth.Type,
            auth.DisplayName,
            auth.Description,
            auth.Required,
            auth.Type == PieceAuthType.CustomAuth ? PropsOf(auth.Props) : null,
            auth.Provider,
            auth.AuthUrl,
            auth.TokenUrl,
            oauth ? auth.Scope : null,
            oauth ? auth.Pkce : null);
    }

    private static Dictionary<string, PropBody> PropsOf(IReadOnlyDictionary<string, PieceProp> props) =>
        props.ToDictionary(p => p.Key, p => new PropBody(
            p.Value.DisplayName,
            p.Value.Type,
            p.Value.Required,
            p.Value.Description,
            p.Value.Pattern,
            p.Value.Type == PropType.StaticDropdown ? p.Value.Options : null));

    private sealed record PieceBody(
        string Name,
        string Version,
        string DisplayName,
        string? Description,
        string? LogoUrl,
        AuthBody[] Auth,
        ActionBody[] Actions,
        TriggerBody[] Triggers);

    private sealed record AuthBody(
        PieceAuthType Type,
        string DisplayName,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
        bool Required,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, PropBody>? Props,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Provider,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthUrl,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenUrl,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Scope,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Pkce);

    private sealed record ActionBody(string Name, string DisplayName, string? Description, bool RequireAuth, Dictionary<string, PropBody> Props);

    private sealed record TriggerBody(
        string Name,
        string DisplayName,
        string? Description,
        string Type,
        bool RequireAuth,
        Dictionary<string, PropBody> Props);

    private sealed record PropBody(
        string DisplayName,
        PropType Type,
        bool Required,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Pattern,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Options);
}
