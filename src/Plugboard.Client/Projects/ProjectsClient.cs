using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Projects: <c>/api/v1/projects</c>.</summary>
public sealed class ProjectsClient
{
    private readonly ApiTransport _api;

    internal ProjectsClient(ApiTransport api) => _api = api;

    /// <summary>One page of projects, filtered by externalId or display name.</summary>
    [Operation("ListProjects")]
    public Task<Page<Project>> ListAsync(ProjectQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<Project>>(new Query()
            .Add("externalId", query?.ExternalId)
            .Add("displayName", query?.DisplayName)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of("api/v1/projects"), cancellationToken);

    /// <summary>Every project the query finds, page after page.</summary>
    public IAsyncEnumerable<Project> ListAllAsync(ProjectQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>The project with this id.</summary>
    [Operation("GetProject")]
    public Task<Project> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Project>(Query.Path("api/v1/projects/{0}", id), cancellationToken);

    /// <summary>Creates a project (not retried: a second one could be created).</summary>
    [Operation("CreateProject")]
    public Task<Project> CreateAsync(CreateProjectRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Project>(HttpMethod.Post, "api/v1/projects", request, Retry.No, cancellationToken);

    /// <summary>Changes the fields given; the others stay.</summary>
    [Operation("UpdateProject")]
    public Task<Project> UpdateAsync(string id, UpdateProjectRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Project>(HttpMethod.Post, Query.Path("api/v1/projects/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the project and everything in it.</summary>
    [Operation("DeleteProject")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path("api/v1/projects/{0}", id), null, Retry.Yes, cancellationToken);

    /// <summary>The project's members (embedded users and their roles).</summary>
    [Operation("ListProjectMembers")]
    public Task<Page<ProjectMember>> ListMembersAsync(string projectId, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<ProjectMember>>(Query.Path("api/v1/projects/{0}/members", projectId), cancellationToken);

    /// <summary>Adds a user to the project or changes their role.</summary>
    [Operation("SetProjectMember")]
    public Task<ProjectMember> SetMemberAsync(string projectId, SetMemberRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<ProjectMember>(HttpMethod.Post, Query.Path("api/v1/projects/{0}/members", projectId), request, Retry.Yes, cancellationToken);

    /// <summary>Removes a user from the project.</summary>
    [Operation("RemoveProjectMember")]
    public Task RemoveMemberAsync(string projectId, string userId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path("api/v1/projects/{0}/members/{1}", projectId, userId), null, Retry.Yes, cancellationToken);
}
