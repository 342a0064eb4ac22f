# One iot-actors node. Build: docker build -t iot-actors .   Run: see docker-compose.yml.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/IotActors.Host/IotActors.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# 4053: Akka.Remote (cluster); 5671: the emulator when this image runs `emulate`.
EXPOSE 4053 5671
ENTRYPOINT ["dotnet", "iot-actors.dll"]
CMD ["run"]
