using System.Globalization;

namespace ContentAgent.Leasing;

/// <summary>
/// Who holds ContentAgent's leases in this host: registered once in DI (<c>services.AddSingleton(LeaseOwner.Named("silo-3"))</c>
/// replaces the default). The default is this process, named by machine, boot, process id and the process's start time,
/// so that a lease left by a process that died on this machine is recognised as such and taken over at once (the pid is
/// gone, or reused by a process that started later) instead of waiting for the lease to expire.
/// </summary>
public sealed class LeaseOwner
{
    private const string ProcessPrefix = "proc:";

    private readonly ProcessIdentity? _process;

    private LeaseOwner(string name, ProcessIdentity? process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>Gets the owner's name: every lease token it makes starts with it.</summary>
    public string Name { get; }

    /// <summary>Gets the owner for this process.</summary>
    /// <returns>An owner whose leases a later process on this machine can prove dead.</returns>
    public static LeaseOwner ForCurrentProcess()
    {
        var process = ProcessIdentity.Current();
        return new LeaseOwner(process.ToName(), process);
    }

    /// <summary>Gets the owner another running process of this machine would be (for tests of take-over); <see langword="null"/> when no such process runs.</summary>
    internal static LeaseOwner? ForProcess(int processId)
    {
        var self = ProcessIdentity.Current();
        return ProcessIdentity.StartTimeOf(processId) is { } start
            ? new LeaseOwner((self with { ProcessId = processId, StartTime = start }).ToName(), self with { ProcessId = processId, StartTime = start })
            : null;
    }

    /// <summary>Gets an owner with a name of the host's choosing (a silo, a worker): its leases end only by expiry or release.</summary>
    /// <param name="name">The name: letters, digits and <c>-_.:@</c>, no <c>/</c>.</param>
    /// <returns>The owner.</returns>
    public static LeaseOwner Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal) || name.StartsWith(ProcessPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A lease owner's name cannot contain '/' or start with '{ProcessPrefix}'.", nameof(name));
        }

        return new LeaseOwner(name, process: null);
    }

    /// <summary>Describes a lease token for people: "process 1234 on buildbox", or the owner's name.</summary>
    /// <param name="token">A lease's <see cref="Lease.Owner"/>.</param>
    /// <returns>The description.</returns>
    public static string Describe(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ProcessIdentity.TryParse(OwnerName(token), out var process)
            ? string.Create(CultureInfo.InvariantCulture, $"process {process.ProcessId} on {process.Machine}")
            : OwnerName(token);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Makes the token of one run's lease: this owner's name and a new instance.</summary>
    internal string NewToken() => $"{Name}/{Guid.NewGuid():N}";

    /// <summary>
    /// Gets whether the holder of <paramref name="token"/> is provably gone: a process of this machine's current boot whose
    /// pid no longer runs, or runs a process that started at another time (the pid was reused). Anything else (another
    /// machine, a named owner, a process that cannot be inspected) is not provably dead.
    /// </summary>
    internal bool IsProvablyDead(string token) =>
        _process is { } self
        && ProcessIdentity.TryParse(OwnerName(token), out var holder)
        && holder.SameBootAs(self)
        && !holder.IsRunning();

    private static string OwnerName(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash > 0 ? token[..slash] : token;
    }

    /// <summary>A process as its lease tokens name it: machine, boot, pid and start time.</summary>
    private sealed record ProcessIdentity(string Machine, string Boot, int ProcessId, long StartTime)
    {
        public static ProcessIdentity Current()
        {
            var pid = Environment.ProcessId;
            return new ProcessIdentity(Environment.MachineName, BootId(), pid, StartTimeOf(pid) ?? 0);
        }

        public static bool TryParse(string name, out ProcessIdentity identity)
        {
            identity = null!;
            if (!name.StartsWith(ProcessPrefix, StringComparison.Ordinal))
            {
                return false;
            }

            var parts = name[ProcessPrefix.Length..].Split(':');
            if (parts.Length != 4
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                return false;
            }

            identity = new ProcessIdentity(parts[0], parts[1], pid, start);
            return true;
        }

        public string ToName() => string.Create(CultureInfo.InvariantCulture, $"{ProcessPrefix}{Machine}:{Boot}:{ProcessId}:{StartTime}");

        public bool SameBootAs(ProcessIdentity other) =>
            string.Equals(Machine, other.Machine, StringComparison.OrdinalIgnoreCase) && string.Equals(Boot, other.Boot, StringComparison.Ordinal) && Boot != "-";

        /// <summary>Whether the pid runs the same process that took the lease (same start time).</summary>
        public bool IsRunning() => StartTimeOf(ProcessId) is { } start && start == StartTime;

        /// <summary>
        /// A process's start time in clock ticks since boot, from <c>/proc/&lt;pid&gt;/stat</c> (exact, so a reused pid is told
        /// apart however soon it is reused); <see langword="null"/> when no process has the pid, or off Linux, where leases
        /// are only ever taken once they expire.
        /// </summary>
        public static long? StartTimeOf(int pid)
        {
            if (OperatingSystem.IsLinux())
            {
                string stat;
                try
                {
                    stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return null;
                }

                // The command name (field 2) is in parentheses and may hold spaces; the start time is field 22.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
            }

            return null;
        }

        /// <summary>This boot's id (Linux), so that a pid of an earlier boot is never compared with this one's.</summary>
        private static string BootId()
        {
            try
            {
                return OperatingSystem.IsLinux() ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim().Replace("-", string.Empty, StringComparison.Ordinal)[..12] : "-";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                return "-";
            }
        }
    }
}
