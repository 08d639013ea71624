using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Client;
using Plugboard.Server.Data;
using Plugboard.Server.Pages;
using Plugboard.Server.Pieces;
using Plugboard.Server.Platform;
using PieceAuthDefinition = Plugboard.Client.PieceAuthDefinition;
using ProjectRole = Plugboard.Server.Access.ProjectRole;
using RegisteredPiece = Plugboard.Client.RegisteredPiece;

namespace Plugboard.Server.Embed;

/// What a Connect screen is for: the piece, the auth definition its form is generated from, the definition (stable key)
/// the connection is made from if any, and the externalId it gets (fixed when the host named it).
public sealed record EmbedTarget(
    string PieceName, string? PieceVersion, string DisplayName, PieceAuthDefinition? Auth, string? Definition, string ExternalId, bool ExternalIdFixed);

/// Decides what the screen may show. The API is the one that enforces (the upsert runs as the embedded user, so its role
/// and the embedded switch apply there too); this only keeps the screen from offering what would be refused.
public static class EmbedScreen
{
    public const string RoleRefusal = "Your role in this project does not allow connecting apps.";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// The user's role now (a membership changed since the hand-over counts), or null when they are no longer a member.
    public static Task<ProjectRole?> RoleAsync(PlugboardDb db, EmbedSignedIn session, CancellationToken ct) =>
        db.ProjectMembers.AsNoTracking()
            .Where(m => m.ProjectId == session.ProjectId && m.UserId == session.UserId && m.PlatformId == session.PlatformId)
            .Select(m => (ProjectRole?)m.Role)
            .FirstOrDefaultAsync(ct);

    /// The target, or the sentence that says why there is nothing to connect here.
    public static async Task<(EmbedTarget? Target, string? Refusal)> ResolveAsync(
        PlugboardDb db, PlugboardClient api, EmbedSignedIn session, string? pieceName, string? definition, string? connectionName, CancellationToken ct)
    {
        ConnectionDefinition? offered = null;
        if (!string.IsNullOrEmpty(definition))
        {
            try
            {
                // As the embedded user: a definition not switched to `embedded` does not exist for them.
                offered = await api.ConnectionDefinitions.GetAsync(definition, ct);
            }
            catch (PlugboardApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return (null, "This connection is not offered here. Ask the app's team to make it available to its users.");
            }
            if (offered.Credentials == DefinitionCredentials.Organization || offered.SuppliedBy == CredentialSupplier.Organization)
            {
                return (null, $"{offered.DisplayName} is connected for you by the app's team: there is nothing to connect here.");
            }
            pieceName = offered.PieceName;
        }
        if (string.IsNullOrEmpty(pieceName))
        {
            return (null, "This screen needs the app to connect: open it from your app's Connect button.");
        }
        var piece = await RegisteredAsync(db, session.PlatformId, pieceName, offered?.PieceVersion, ct);
        if (piece is null)
        {
            return (null, $"The app {pieceName} is not available on this platform.");
        }
        var auth = offered is null
            ? piece.Auth.FirstOrDefault(CredentialForm.Supports) ?? piece.Auth.FirstOrDefault() ?? new PieceAuthDefinition { Type = "NO_AUTH" }
            : WithoutInherited(CredentialForm.For(piece, offered.Type), offered.GlobalValueKeys);
        var externalId = connectionName is { Length: > 0 } named ? named : offered?.StableKey ?? CredentialForm.DefaultExternalId(piece.Name);
        return (new EmbedTarget(piece.Name, offered?.PieceVersion ?? piece.Version, offered?.DisplayName ?? piece.DisplayName, auth, offered?.StableKey,
            externalId, connectionName is { Length: > 0 }), null);
    }

    /// The piece's registered newest version, in the SDK's shape the credential form is generated from.
    private static async Task<RegisteredPiece?> RegisteredAsync(PlugboardDb db, string platformId, string name, string? version, CancellationToken ct)
    {
        var chosen = PieceRegistry.Pick(await PieceRegistry.VersionsAsync(db, platformId, name, ct), version);
        return chosen is null ? null : JsonSerializer.Deserialize<RegisteredPiece>(JsonSerializer.Serialize(chosen.ToDto(), Http.JsonDefaults.Options), Json);
    }

    /// A definition's inherited fields (`props.base_url`) are the organization's: the customer is not asked for them.
    private static PieceAuthDefinition? WithoutInherited(PieceAuthDefinition? auth, IReadOnlyList<string> inherited) =>
        auth?.Props is null ? auth : auth with
        {
            Props = auth.Props.Where(p => !inherited.Contains(CredentialForm.PropPrefix + p.Key, StringComparer.Ordinal)).ToDictionary(),
        };

    public static bool AllowsConnecting(ProjectRole? role) => role is ProjectRole.Editor or ProjectRole.Admin;
}
