using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>A project: one customer of the SaaS.</summary>
/// <param name="Id">The project's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="PlatformId">The platform it belongs to.</param>
/// <param name="OwnerId">The platform user who owns it.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="ExternalId">The SaaS's own id for the customer, unique on the platform.</param>
/// <param name="Metadata">Free-form data of the SaaS's.</param>
/// <param name="Type">The project's type (<c>TEAM</c>).</param>
public sealed record Project(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string PlatformId, string OwnerId,
    string DisplayName, string? ExternalId, JsonObject? Metadata, string Type);

/// <summary>Filters of <see cref="ProjectsClient.ListAsync"/>.</summary>
public sealed record ProjectQuery
{
    /// <summary>Only the project with this externalId.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Only projects whose name contains this.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Rows per page (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>A new project.</summary>
public sealed record CreateProjectRequest
{
    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The SaaS's own id for the customer.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Free-form data of the SaaS's.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Global connections (by externalId) the project sees from the start.</summary>
    public IReadOnlyList<string>? GlobalConnectionExternalIds { get; init; }
}

/// <summary>Changes to a project; a null field stays as it is.</summary>
public sealed record UpdateProjectRequest
{
    /// <summary>A new name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A new externalId.</summary>
    public string? ExternalId { get; init; }

    /// <summary>New metadata (replaces the old).</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The global connections (by externalId) the project sees, replacing the list.</summary>
    public IReadOnlyList<string>? GlobalConnectionExternalIds { get; init; }
}

/// <summary>A project role of an embedded user.</summary>
public enum ProjectRole
{
    /// <summary>Reads only.</summary>
    [JsonStringEnumMemberName("VIEWER")] Viewer,

    /// <summary>Reads and writes connections and flows.</summary>
    [JsonStringEnumMemberName("EDITOR")] Editor,

    /// <summary>Everything in the project.</summary>
    [JsonStringEnumMemberName("ADMIN")] Admin,
}

/// <summary>A user's membership of a project.</summary>
/// <param name="UserId">The user.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="Role">Their role in it.</param>
/// <param name="ExternalId">The user's id in the SaaS.</param>
/// <param name="Email">Their email.</param>
/// <param name="FirstName">Their first name.</param>
/// <param name="LastName">Their last name.</param>
/// <param name="Created">When they joined.</param>
/// <param name="Updated">When the membership last changed.</param>
public sealed record ProjectMember(
    string UserId, string ProjectId, ProjectRole Role, string? ExternalId, string Email, string FirstName, string LastName,
    DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Adds a user to a project or changes their role.</summary>
public sealed record SetMemberRequest
{
    /// <summary>The user.</summary>
    public required string UserId { get; init; }

    /// <summary>The role to give them.</summary>
    public required ProjectRole Role { get; init; }
}
