using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>A platform: one SaaS, with its own keys, projects, connections and OAuth apps.</summary>
/// <param name="Id">The platform's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Created">When it was created.</param>
/// <param name="DisabledAt">When the operator disabled it; null while it is enabled.</param>
/// <param name="AllowedOrigins">The web origins (<c>https://app.example.com</c>) whose pages may open its embeddable Connect screen.</param>
public sealed record Platform(string Id, string Name, DateTimeOffset Created, DateTimeOffset? DisabledAt, IReadOnlyList<string>? AllowedOrigins = null);

/// <summary>A platform just created, with its first admin key. <see cref="ToString"/> never prints the key.</summary>
/// <param name="Id">The platform's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Created">When it was created.</param>
/// <param name="DisabledAt">When it was disabled (null: a new platform is enabled).</param>
/// <param name="AdminApiKey">The platform's first platform API key, shown this once.</param>
/// <param name="AllowedOrigins">The web origins whose pages may open its embeddable Connect screen.</param>
public sealed record CreatedPlatform(string Id, string Name, DateTimeOffset Created, DateTimeOffset? DisabledAt, string AdminApiKey, IReadOnlyList<string>? AllowedOrigins = null)
{
    /// <summary>Everything but the admin key.</summary>
    public override string ToString() =>
        $"CreatedPlatform {{ Id = {Id}, Name = {Name}, Created = {Created}, DisabledAt = {DisabledAt}, AllowedOrigins = [{string.Join(", ", AllowedOrigins ?? [])}], AdminApiKey = <redacted> }}";
}

/// <summary>A new platform.</summary>
public sealed record CreatePlatformRequest
{
    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>The email of its owner (a platform admin user).</summary>
    public string? AdminEmail { get; init; }

    /// <summary>The web origins (<c>scheme://host[:port]</c>, at most 20) whose pages may open its embeddable Connect screen.</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }
}

/// <summary>A change to a platform; a property left null keeps its value.</summary>
public sealed record UpdatePlatformRequest
{
    /// <summary>Its new name.</summary>
    public string? Name { get; init; }

    /// <summary>The web origins (<c>scheme://host[:port]</c>, at most 20) whose pages may open its embeddable Connect screen;
    /// the list replaces the old one (empty: none may).</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }
}

/// <summary>Paging of <see cref="PlatformsClient.ListAsync"/>.</summary>
public sealed record PlatformQuery
{
    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>A user's role on their platform.</summary>
public enum PlatformRole
{
    /// <summary>The platform's owner.</summary>
    [JsonStringEnumMemberName("Admin")] Admin,

    /// <summary>Any other user (embedded users).</summary>
    [JsonStringEnumMemberName("Member")] Member,
}

/// <summary>A user of the platform.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Created">When they were created.</param>
/// <param name="PlatformId">Their platform.</param>
/// <param name="Email">Their email.</param>
/// <param name="FirstName">Their first name.</param>
/// <param name="LastName">Their last name.</param>
/// <param name="ExternalId">Their id in the SaaS (embedded users).</param>
/// <param name="PlatformRole">Their role on the platform.</param>
public sealed record User(
    string Id, DateTimeOffset Created, string PlatformId, string Email, string FirstName, string LastName, string? ExternalId, PlatformRole PlatformRole);

/// <summary>Filters of <see cref="UsersClient.ListAsync"/>.</summary>
public sealed record UserQuery
{
    /// <summary>Only the user with this id in the SaaS.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}
