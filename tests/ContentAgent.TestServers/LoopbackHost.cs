using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContentAgent.Tests.Servers;

/// <summary>The one way the test servers host themselves: bare Kestrel on a free 127.0.0.1 port, no configuration, no logging.</summary>
internal static class LoopbackHost
{
    /// <summary>Builds an app whose every request goes to <paramref name="handle"/> (set once the server object exists).</summary>
    public static WebApplication Create(string applicationName)
    {
        // The empty builder reads no configuration (no ASPNETCORE_URLS, no appsettings) and has no logging providers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder.Build();
    }

    /// <summary>Routes every request to <paramref name="handle"/>, starts the app and returns its base address.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, RequestDelegate handle, CancellationToken cancellationToken)
    {
        ((IApplicationBuilder)app).Run(handle);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{new Uri(address).Port}/"));
    }
}
