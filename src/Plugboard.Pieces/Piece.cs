using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plugboard.Pieces;

/// <summary>
/// A piece: a named, versioned set of actions and triggers with the auth it accepts. Register its
/// <see cref="ToMetadata"/> with the server's pieces registry and run its operations with a <see cref="PieceRunner"/>.
/// </summary>
public sealed partial class Piece
{
    private const int MaxNameLength = 200;

    /// <summary>The package name, e.g. <c>@acme/piece-gelato</c> (at most 200 characters).</summary>
    public required string Name
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) && value.Length <= MaxNameLength
            ? value
            : throw new ArgumentException($"A piece name is 1 to {MaxNameLength} characters.", nameof(Name));
    }

    /// <summary>The semantic version, <c>MAJOR.MINOR.PATCH[-prerelease]</c>, e.g. <c>0.1.0</c>.</summary>
    public required string Version
    {
        get;
        init => field = value is not null && Semver().IsMatch(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a semantic version (MAJOR.MINOR.PATCH[-prerelease]).", nameof(Version));
    }

    /// <summary>The name shown to users.</summary>
    public required string DisplayName { get; init; }

    /// <summary>What the piece connects to.</summary>
    public string? Description { get; init; }

    /// <summary>An absolute URL of the piece's logo, if any.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>The auth definitions a connection for this piece may use; empty when the piece needs none.</summary>
    public IReadOnlyList<PieceAuth> Auth { get; init; } = [];

    /// <summary>The piece's actions.</summary>
    public IReadOnlyList<PieceAction> Actions { get; init; } = [];

    /// <summary>The piece's (polling) triggers.</summary>
    public IReadOnlyList<PieceTrigger> Triggers { get; init; } = [];

    /// <summary>
    /// The metadata the pieces registry stores: exactly the JSON body of <c>POST /api/v1/pieces</c>
    /// (camelCase, enums as UPPER_SNAKE strings, prop names as written).
    /// </summary>
    /// <exception cref="InvalidOperationException">Two actions, or two triggers, share a name; or an auth type is listed twice.</exception>
    public JsonObject ToMetadata() => PieceMetadata.Of(this);

    /// <summary>The action of that name.</summary>
    /// <exception cref="ArgumentException">The piece has no such action.</exception>
    public PieceAction Action(string name) => Action(name, nameof(name));

    /// <summary>The trigger of that name.</summary>
    /// <exception cref="ArgumentException">The piece has no such trigger.</exception>
    public PieceTrigger Trigger(string name) => Trigger(name, nameof(name));

    /// <summary>The action, else the trigger, of that name.</summary>
    /// <exception cref="ArgumentException">The piece has neither.</exception>
    public PieceOperation Operation(string name) => Operation(name, nameof(name));

    internal PieceAction Action(string name, string paramName) =>
        Actions.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"Piece '{Name}' has no action '{name}' (it has: {Names(Actions)}).", paramName);

    internal PieceTrigger Trigger(string name, string paramName) =>
        Triggers.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"Piece '{Name}' has no trigger '{name}' (it has: {Names(Triggers)}).", paramName);

    internal PieceOperation Operation(string name, string paramName) =>
        (PieceOperation?)Actions.FirstOrDefault(a => a.Name == name)
        ?? Triggers.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException(
            $"Piece '{Name}' has no action or trigger '{name}' (actions: {Names(Actions)}; triggers: {Names(Triggers)}).", paramName);

    private static string Names(IEnumerable<PieceOperation> operations) =>
        operations.Any() ? string.Join(", ", operations.Select(o => o.Name)) : "none";

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex Semver();
}
