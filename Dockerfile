# syntax=docker/dockerfile:1
# Plugboard.Server: built with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t plugboard .
#   docker run --read-only --tmpfs /tmp -v plugboard-data:/data -p 8080:8080 \
#     -e PLUGBOARD_ENCRYPTION_KEY=... -e PLUGBOARD_ADMIN_API_KEY=... plugboard

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Plugboard.Server/Plugboard.Server.csproj src/Plugboard.Server/
COPY src/Plugboard.Client/Plugboard.Client.csproj src/Plugboard.Client/
RUN dotnet restore src/Plugboard.Server/Plugboard.Server.csproj
COPY src/Plugboard.Server/ src/Plugboard.Server/
COPY src/Plugboard.Client/ src/Plugboard.Client/
RUN dotnet publish src/Plugboard.Server/Plugboard.Server.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Everything Plugboard writes lives in /data (SQLite database, generated key file); .NET itself needs only /tmp.
# So the container runs with a read-only root filesystem: docker run --read-only --tmpfs /tmp, or read_only: true
# in compose. The diagnostics IPC socket is off (it would be the one other file written), HOME points at /tmp.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME ["/data"]
ENV PLUGBOARD_DATA_DIR=/data \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_EnableDiagnostics=0 \
    HOME=/tmp \
    PLUGBOARD_SHUTDOWN_TIMEOUT_SECONDS=30
# The aspnet image's unprivileged user (UID 1654).
USER $APP_UID
EXPOSE 8080
# No curl in the runtime image: bash's /dev/tcp asks /health and checks for a 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# SIGTERM drains requests and flushes the read audit within PLUGBOARD_SHUTDOWN_TIMEOUT_SECONDS.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "Plugboard.Server.dll"]
