using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Embedding;

/// Get-or-create of what an external token names: the project by its externalId (a new one gets the
/// platform's pre-selected global connections, which the reference never attached), the user by their
/// externalId, and their membership with the token's role (a re-issued token with another role updates it).
public sealed class EmbeddedProvisioning(PlugboardDb db, TimeProvider time)
{
    /// A concurrent exchange for the same project or user makes an attempt lose on a unique index: it runs
    /// again and takes theirs. Only when every attempt lost is it a 409 to retry.
    public Task<Outcome<Provisioned>> ProvisionAsync(ExternalIdentity who, CancellationToken ct) =>
        db.RetryOnConflictAsync(
            () => ProvisionOnceAsync(who, ct),
            () => ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The project or user was changed by other sign-ins at the same time; retry."),
            ct);

    private async Task<Outcome<Provisioned>> ProvisionOnceAsync(ExternalIdentity who, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var project = await ProjectAsync(who, ct);
        var user = await UserAsync(who, ct);
        await MembershipAsync(who, user, project, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Provisioned(user, project);
    }

    private async Task<Project> ProjectAsync(ExternalIdentity who, CancellationToken ct)
    {
        var project = await db.Projects.FirstOrDefaultAsync(p => p.PlatformId == who.PlatformId && p.ExternalId == who.ExternalProjectId, ct);
        if (project is not null)
        {
            return project;
        }
        var ownerId = await db.Platforms.Where(p => p.Id == who.PlatformId).Select(p => p.OwnerId).FirstAsync(ct);
        var now = time.UtcNow();
        project = new Project
        {
            Id = Ids.New(),
            PlatformId = who.PlatformId,
            OwnerId = ownerId,
            DisplayName = who.ProjectDisplayName,
            ExternalId = who.ExternalProjectId,
            Created = now,
            Updated = now,
        };
        db.Projects.Add(project);
        await db.AttachNewProjectAsync(who.PlatformId, project.Id, [], ct);
        db.Record(time, who.PlatformId, "MANAGED_AUTHN", who.ExternalUserId, "project.created", "project", project.Id, project.Id,
            new { project.DisplayName, project.ExternalId });
        return project;
    }

    private async Task<User> UserAsync(ExternalIdentity who, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.PlatformId == who.PlatformId && u.ExternalId == who.ExternalUserId, ct);
        if (user is null)
        {
            user = new User
            {
                Id = Ids.New(),
                PlatformId = who.PlatformId,
                ExternalId = who.ExternalUserId,
                PlatformRole = PlatformRole.Member,
                // Embedded users sign in through the SaaS and have no mailbox of ours; the address only has to be unique.
                Email = $"{who.ExternalUserId}@{who.PlatformId}.managed.invalid",
                Created = time.UtcNow(),
            };
            db.Users.Add(user);
            db.Record(time, who.PlatformId, "MANAGED_AUTHN", who.ExternalUserId, "user.created", "user", user.Id, null, new { user.ExternalId });
        }
        user.FirstName = who.FirstName;
        user.LastName = who.LastName;
        return user;
    }

    private async Task MembershipAsync(ExternalIdentity who, User user, Project project, CancellationToken ct)
    {
        var member = await db.ProjectMembers.FirstOrDefaultAsync(m => m.ProjectId == project.Id && m.UserId == user.Id, ct);
        var now = time.UtcNow();
        if (member is null)
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = project.Id, UserId = user.Id, PlatformId = who.PlatformId, Role = who.Role, Created = now, Updated = now });
        }
        else if (member.Role != who.Role)
        {
            member.Role = who.Role;
            member.Updated = now;
        }
        else
        {
            return;
        }
        db.Record(time, who.PlatformId, "MANAGED_AUTHN", who.ExternalUserId, "member.role_set", "project_member", user.Id, project.Id,
            new { Role = WireEnum<ProjectRole>.Name(who.Role) });
    }
}

public sealed record Provisioned(User User, Project Project);
