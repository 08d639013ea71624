using System.Text;

namespace Plugboard.Client;

/// <summary>An OAuth2 app of the platform; its client secret never comes back out.</summary>
/// <param name="Id">The app's id.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="PieceName">The piece it serves.</param>
/// <param name="ClientId">Its client id at the provider.</param>
public sealed record OAuthApp(string Id, DateTimeOffset Created, DateTimeOffset Updated, string PlatformId, string PieceName, string ClientId);

/// <summary>Filters of <see cref="OAuthAppsClient.ListAsync"/>.</summary>
public sealed record OAuthAppQuery
{
    /// <summary>Only this piece's apps.</summary>
    public string? PieceName { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>Registers the app of this piece and client id, or replaces its secret. <see cref="ToString"/> never
/// shows the secret.</summary>
public sealed record UpsertOAuthAppRequest
{
    /// <summary>The piece it serves.</summary>
    public required string PieceName { get; init; }

    /// <summary>Its client id at the provider.</summary>
    public required string ClientId { get; init; }

    /// <summary>Its client secret (write-only: no answer carries it).</summary>
    public required string ClientSecret { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("PieceName = ").Append(PieceName).Append(", ClientId = ").Append(ClientId).Append(", ClientSecret = <redacted>");
        return true;
    }
}
