using System.Security.Claims;

namespace Plugboard.Server.Access;

/// Who is calling, as established by authentication: a platform key (every project of its
/// platform), a project key (one project only), or an embedded user (one project, with a role).
public sealed record Caller(string PlatformId, string ActorType, string ActorId, string? ProjectId, string OwnerUserId, ProjectRole? Role = null)
{
    public const string PlatformKeyActor = "PLATFORM_API_KEY";
    public const string ProjectKeyActor = "PROJECT_API_KEY";
    public const string UserActor = "USER";

    public bool IsPlatformAdmin => ActorType == PlatformKeyActor;

    public bool IsUser => ActorType == UserActor;

    /// Keys act with every right in their reach; a user with what their role allows.
    public bool Allows(ProjectRole needed) => !IsUser || Role >= needed;

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimNames.PlatformId) ?? throw new InvalidOperationException("Unauthenticated caller."),
        user.FindFirstValue(ClaimNames.ActorType)!,
        user.FindFirstValue(ClaimNames.ActorId)!,
        user.FindFirstValue(ClaimNames.ProjectId),
        user.FindFirstValue(ClaimNames.OwnerUserId)!,
        Enum.TryParse<ProjectRole>(user.FindFirstValue(ClaimNames.Role), out var role) ? role : null);

    /// Lets a handler declare `Caller caller`: read from the authenticated user, as <see cref="From"/> does. Every route
    /// that takes one requires authentication, so an anonymous request never gets here; if one did, From throws (a bug, a 500).
    /// A parameter bound this way is not a request parameter: it stays out of the OpenAPI document.
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context.User));

    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(ClaimNames.PlatformId, PlatformId);
        yield return new Claim(ClaimNames.ActorType, ActorType);
        yield return new Claim(ClaimNames.ActorId, ActorId);
        yield return new Claim(ClaimNames.OwnerUserId, OwnerUserId);
        if (ProjectId is not null)
        {
            yield return new Claim(ClaimNames.ProjectId, ProjectId);
        }
        if (Role is { } role)
        {
            yield return new Claim(ClaimNames.Role, role.ToString());
        }
    }
}
