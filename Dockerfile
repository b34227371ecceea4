# Duban (督办) container image: web app + ASP.NET Core server.
#   docker build -t duban .
#   docker compose up          (with PostgreSQL, see docker-compose.yml)
# Without docker-compose the image runs on SQLite in /app/data:
#   docker run -p 8080:8080 -v duban-data:/app/data duban

# ---- 1. web app (designer/) -> src/Duban.Server/wwwroot
FROM node:20 AS web
# Browser tests are not run here; never download a browser.
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
WORKDIR /src/designer
COPY designer/package.json designer/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY designer/ ./
# vite writes to ../src/Duban.Server/wwwroot, i.e. /src/src/Duban.Server/wwwroot
RUN npm run build

# ---- 2. server: publish src/Duban.Server with the built wwwroot
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# The shipped workflow templates (workflows/*.json) are linked into the server's output.
COPY workflows/ workflows/
COPY --from=web /src/src/Duban.Server/wwwroot/ src/Duban.Server/wwwroot/
RUN dotnet publish src/Duban.Server/Duban.Server.csproj -c Release -o /app -p:UseAppHost=false

# ---- 3. runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# SQLite (the default provider) keeps duban.db here; mount a volume on it.
ENV Duban__DataDir=/app/data \
    ASPNETCORE_HTTP_PORTS=8080
RUN mkdir -p /app/data && chown app:app /app/data
USER app
VOLUME /app/data
EXPOSE 8080
ENTRYPOINT ["dotnet", "Duban.Server.dll"]
