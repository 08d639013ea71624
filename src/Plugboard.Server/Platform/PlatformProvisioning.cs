using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// A new platform as both the first start and the operator make it: the platform and its owner, a platform admin.
public static class PlatformProvisioning
{
    public const string DefaultOwnerEmail = "admin@plugboard.local";

    /// Adds the platform and its owner to the unit of work; the caller saves (with its audit rows).
    public static PlatformEntity AddPlatform(this PlugboardDb db, TimeProvider time, string name, string? ownerEmail)
    {
        var now = time.UtcNow();
        var platform = new PlatformEntity { Id = Ids.New(), Name = name, OwnerId = Ids.New(), Created = now };
        db.Platforms.Add(platform);
        db.Users.Add(new User
        {
            Id = platform.OwnerId,
            PlatformId = platform.Id,
            Email = string.IsNullOrEmpty(ownerEmail) ? DefaultOwnerEmail : ownerEmail,
            FirstName = "Platform",
            LastName = "Owner",
            PlatformRole = PlatformRole.Admin,
            Created = now,
        });
        return platform;
    }
}
