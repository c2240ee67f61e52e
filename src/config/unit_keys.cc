#include "config/unit_keys.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/unit_values.h"

namespace vigil::config {
namespace {

// systemd 252's [Unit] keys that vigil does not apply.
constexpr std::string_view kUnsupportedUnitKeys[] = {
    "AllowIsolate",
    "AssertACPower",
    "AssertArchitecture",
    "AssertCPUFeature",
    "AssertCPUPressure",
    "AssertCPUs",
    "AssertCapability",
    "AssertControlGroupController",
    "AssertCredential",
    "AssertDirectoryNotEmpty",
    "AssertEnvironment",
    "AssertFileIsExecutable",
    "AssertFileNotEmpty",
    "AssertFirstBoot",
    "AssertGroup",
    "AssertHost",
    "AssertIOPressure",
    "AssertKernelCommandLine",
    "AssertKernelVersion",
    "AssertMemory",
    "AssertMemoryPressure",
    "AssertNeedsUpdate",
    "AssertOSRelease",
    "AssertPathExists",
    "AssertPathExistsGlob",
    "AssertPathIsDirectory",
    "AssertPathIsEncrypted",
    "AssertPathIsMountPoint",
    "AssertPathIsReadWrite",
    "AssertPathIsSymbolicLink",
    "AssertSecurity",
    "AssertUser",
    "AssertVirtualization",
    "CollectMode",
    "ConditionACPower",
    "ConditionArchitecture",
    "ConditionCPUFeature",
    "ConditionCPUPressure",
    "ConditionCPUs",
    "ConditionCapability",
    "ConditionControlGroupController",
    "ConditionCredential",
    "ConditionDirectoryNotEmpty",
    "ConditionEnvironment",
    "ConditionFileIsExecutable",
    "ConditionFileNotEmpty",
    "ConditionFirmware",
    "ConditionFirstBoot",
    "ConditionGroup",
    "ConditionHost",
    "ConditionIOPressure",
    "ConditionKernelCommandLine",
    "ConditionKernelVersion",
    "ConditionMemory",
    "ConditionMemoryPressure",
    "ConditionNeedsUpdate",
    "ConditionOSRelease",
    "ConditionPathExists",
    "ConditionPathExistsGlob",
    "ConditionPathIsDirectory",
    "ConditionPathIsEncrypted",
    "ConditionPathIsMountPoint",
    "ConditionPathIsReadWrite",
    "ConditionPathIsSymbolicLink",
    "ConditionSecurity",
    "ConditionUser",
    "ConditionVirtualization",
    "FailureActionExitStatus",
    "IgnoreOnIsolate",
    "IgnoreOnSnapshot",
    "JobRunningTimeoutSec",
    "JobTimeoutAction",
    "JobTimeoutRebootArgument",
    "JobTimeoutSec",
    "JoinsNamespaceOf",
    "OnFailureIsolate",
    "OnFailureJobMode",
    "OnSuccess",
    "OnSuccessJobMode",
    "PropagateReloadFrom",
    "PropagateReloadTo",
    "PropagatesReloadTo",
    "PropagatesStopTo",
    "RebootArgument",
    "RefuseManualStart",
    "RefuseManualStop",
    "ReloadPropagatedFrom",
    "RequiresMountsFor",
    "SourcePath",
    "StopPropagatedFrom",
    "StopWhenUnneeded",
    "SuccessActionExitStatus",
    "Upholds",
};

// systemd 252's [Service] keys that vigil does not apply.
constexpr std::string_view kUnsupportedServiceKeys[] = {
    "AllowedCPUs",
    "AllowedMemoryNodes",
    "AmbientCapabilities",
    "AppArmorProfile",
    "BPFProgram",
    "BindPaths",
    "BindReadOnlyPaths",
    "BlockIOAccounting",
    "BlockIODeviceWeight",
    "BlockIOReadBandwidth",
    "BlockIOWeight",
    "BlockIOWriteBandwidth",
    "BusPolicy",
    "CPUAccounting",
    "CPUAffinity",
    "CPUQuota",
    "CPUQuotaPeriodSec",
    "CPUSchedulingPolicy",
    "CPUSchedulingPriority",
    "CPUSchedulingResetOnFork",
    "CPUShares",
    "CPUWeight",
    "CacheDirectory",
    "CacheDirectoryMode",
    "Capabilities",
    "CapabilityBoundingSet",
    "ConfigurationDirectory",
    "ConfigurationDirectoryMode",
    "CoredumpFilter",
    "DefaultMemoryLow",
    "DefaultMemoryMin",
    "Delegate",
    "DeviceAllow",
    "DevicePolicy",
    "DisableControllers",
    "DynamicUser",
    "ExecPaths",
    "ExecSearchPath",
    "ExtensionDirectories",
    "ExtensionImages",
    "FileDescriptorStoreMax",
    "IOAccounting",
    "IODeviceLatencyTargetSec",
    "IODeviceWeight",
    "IOReadBandwidthMax",
    "IOReadIOPSMax",
    "IOSchedulingClass",
    "IOSchedulingPriority",
    "IOWeight",
    "IOWriteBandwidthMax",
    "IOWriteIOPSMax",
    "IPAccounting",
    "IPAddressAllow",
    "IPAddressDeny",
    "IPCNamespacePath",
    "IPEgressFilterPath",
    "IPIngressFilterPath",
    "InaccessibleDirectories",
    "InaccessiblePaths",
    "KeyringMode",
    "LoadCredential",
    "LoadCredentialEncrypted",
    "LockPersonality",
    "LogExtraFields",
    "LogLevelMax",
    "LogNamespace",
    "LogRateLimitBurst",
    "LogRateLimitIntervalSec",
    "LogsDirectory",
    "LogsDirectoryMode",
    "ManagedOOMMemoryPressure",
    "ManagedOOMMemoryPressureLimit",
    "ManagedOOMPreference",
    "ManagedOOMSwap",
    "MemoryAccounting",
    "MemoryDenyWriteExecute",
    "MemoryHigh",
    "MemoryLimit",
    "MemoryLow",
    "MemoryMax",
    "MemoryMin",
    "MemorySwapMax",
    "MountAPIVFS",
    "MountFlags",
    "MountImages",
    "NUMAMask",
    "NUMAPolicy",
    "NetClass",
    "NetworkNamespacePath",
    "NoExecPaths",
    "NoNewPrivileges",
    "NonBlocking",
    "OOMPolicy",
    "PermissionsStartOnly",
    "Personality",
    "PrivateDevices",
    "PrivateIPC",
    "PrivateMounts",
    "PrivateNetwork",
    "PrivateTmp",
    "PrivateUsers",
    "ProcSubset",
    "ProtectClock",
    "ProtectControlGroups",
    "ProtectHome",
    "ProtectHostname",
    "ProtectKernelLogs",
    "ProtectKernelModules",
    "ProtectKernelTunables",
    "ProtectProc",
    "ProtectSystem",
    "ReadOnlyDirectories",
    "ReadOnlyPaths",
    "ReadWriteDirectories",
    "ReadWritePaths",
    "RebootArgument",
    "RemoveIPC",
    "RestrictAddressFamilies",
    "RestrictFileSystems",
    "RestrictNamespaces",
    "RestrictNetworkInterfaces",
    "RestrictRealtime",
    "RestrictSUIDSGID",
    "RootDirectory",
    "RootDirectoryStartOnly",
    "RootHash",
    "RootHashSignature",
    "RootImage",
    "RootImageOptions",
    "RootVerity",
    "RuntimeDirectory",
    "RuntimeDirectoryMode",
    "RuntimeDirectoryPreserve",
    "RuntimeRandomizedExtraSec",
    "SELinuxContext",
    "SecureBits",
    "SetCredential",
    "SetCredentialEncrypted",
    "Slice",
    "SmackProcessLabel",
    "SocketBindAllow",
    "SocketBindDeny",
    "Sockets",
    "StandardInputData",
    "StandardInputText",
    "StartupAllowedCPUs",
    "StartupAllowedMemoryNodes",
    "StartupBlockIOWeight",
    "StartupCPUShares",
    "StartupCPUWeight",
    "StartupIOWeight",
    "StateDirectory",
    "StateDirectoryMode",
    "SysVStartPriority",
    "SyslogFacility",
    "SyslogLevel",
    "SyslogLevelPrefix",
    "SystemCallArchitectures",
    "SystemCallErrorNumber",
    "SystemCallFilter",
    "SystemCallLog",
    "TTYColumns",
    "TTYPath",
    "TTYReset",
    "TTYRows",
    "TTYVHangup",
    "TTYVTDisallocate",
    "TasksAccounting",
    "TasksMax",
    "TemporaryFileSystem",
    "TimeoutCleanSec",
    "TimerSlackNSec",
    "USBFunctionDescriptors",
    "USBFunctionStrings",
    "UtmpIdentifier",
    "UtmpMode",
};

// Keys that systemd itself ignores ("has been removed").
constexpr std::string_view kRemovedKeys[] = {"BusPolicy", "Capabilities", "NetClass",
                                             "SysVStartPriority", "IgnoreOnSnapshot"};

// Deprecated keys and what systemd 252 says to use instead.
struct Deprecated {
  std::string_view key;
  std::string_view replacement;
};
constexpr Deprecated kDeprecatedKeys[] = {
    {"CPUShares", "CPUWeight="},
    {"StartupCPUShares", "CPUWeight="},
    {"MemoryLimit", "MemoryMax="},
    {"BlockIODeviceWeight", "IO*= settings"},
    {"BlockIOReadBandwidth", "IO*= settings"},
    {"BlockIOWriteBandwidth", "IO*= settings"},
};

// Boolean settings whose "no" is what vigil does anyway: they warn only when turned on.
constexpr std::string_view kOffIsNeutral[] = {"DynamicUser",
                                              "PrivateTmp",
                                              "PrivateDevices",
                                              "PrivateNetwork",
                                              "PrivateUsers",
                                              "PrivateMounts",
                                              "PrivateIPC",
                                              "ProtectKernelTunables",
                                              "ProtectKernelModules",
                                              "ProtectKernelLogs",
                                              "ProtectControlGroups",
                                              "ProtectClock",
                                              "ProtectHostname",
                                              "ProtectSystem",
                                              "ProtectHome",
                                              "NoNewPrivileges",
                                              "LockPersonality",
                                              "MemoryDenyWriteExecute",
                                              "RestrictRealtime",
                                              "RestrictSUIDSGID",
                                              "RemoveIPC",
                                              "CPUAccounting",
                                              "MemoryAccounting",
                                              "IOAccounting",
                                              "BlockIOAccounting",
                                              "TasksAccounting",
                                              "IPAccounting",
                                              "Delegate",
                                              "RootDirectoryStartOnly",
                                              "PermissionsStartOnly",
                                              "TTYReset",
                                              "TTYVHangup",
                                              "TTYVTDisallocate",
                                              "CPUSchedulingResetOnFork",
                                              "NonBlocking",
                                              "RefuseManualStart",
                                              "RefuseManualStop",
                                              "AllowIsolate",
                                              "IgnoreOnIsolate",
                                              "StopWhenUnneeded",
                                              "OnFailureIsolate"};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view key) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

// Why vigil ignores a key, for the keys where the plain "not supported" says too little.
std::string_view Consequence(std::string_view key) {
  if (key.starts_with("Condition") || key.starts_with("Assert")) {
    return " (the unit starts without this check)";
  }
  if (key == "DynamicUser") return " (the service runs as User=, or as vigild's user)";
  if (key.starts_with("Protect") || key.starts_with("Private") || key.starts_with("Restrict") ||
      key.starts_with("SystemCall") || key.ends_with("Paths") || key.ends_with("Capabilities") ||
      key == "CapabilityBoundingSet" || key == "NoNewPrivileges") {
    return " (the service runs without this sandboxing)";
  }
  if (key.starts_with("Memory") || key.starts_with("CPU") || key.starts_with("IO") ||
      key.starts_with("Tasks") || key.starts_with("BlockIO") || key.starts_with("Startup") ||
      key.starts_with("Allowed") || key.starts_with("IP")) {
    return " (no cgroup resource control)";
  }
  return "";
}

Result<void> Unsupported(const SettingContext& context, std::string_view value) {
  const std::string& key = context.key;
  if (Contains(kRemovedKeys, key)) {
    context.Warn(fmt::format("Support for option {}= has been removed and it is ignored", key));
    return Ok();
  }
  for (const Deprecated& deprecated : kDeprecatedKeys) {
    if (deprecated.key == key) {
      context.Warn(
          fmt::format("Unit uses {}=; please use {} instead. Support for {}= will be removed soon.",
                      key, deprecated.replacement, key));
    }
  }
  if (Contains(kOffIsNeutral, key)) {
    std::optional<bool> on = ParseUnitBoolean(value);
    if (key == "DynamicUser" && !on) {
      // systemd refuses the unit for a DynamicUser= it cannot parse.
      return context.Fatal(fmt::format("Failed to parse boolean value: {}", value));
    }
    if (value.empty() || on == false) return Ok();
    const bool plain_boolean = key != "ProtectSystem" && key != "ProtectHome" &&
                               key != "Delegate" && key != "OnFailureIsolate";
    if (!on && plain_boolean) {
      context.Warn(fmt::format("Failed to parse boolean value, ignoring: {}", value));
      return Ok();
    }
  }
  if (key == "RootDirectory" || key == "RootImage" || key == "RootVerity") {
    // systemd refuses the unit for a relative path here (and vigil could not honour it anyway).
    if (!value.empty() && !value.starts_with('/')) {
      return context.Fatal(fmt::format("{}= path is not absolute: {}", key, value));
    }
  }
  context.Warn(fmt::format("{}= is not supported by vigil, ignoring{}.", key, Consequence(key)));
  return Ok();
}

SettingHandler FindHandler(std::string_view section, std::string_view key) {
  if (section == "Unit") return FindUnitSectionHandler(key);
  if (section == "Install") return FindInstallSectionHandler(key);
  if (section == "Service") {
    if (SettingHandler handler = FindServiceLifecycleHandler(key)) return handler;
    return FindExecContextHandler(key);
  }
  return nullptr;
}

}  // namespace

Result<void> ApplyUnitSetting(ServiceDraft& draft, const SettingContext& context,
                              std::string_view section, std::string_view value) {
  const std::string& key = context.key;
  if (SettingHandler handler = FindHandler(section, key)) return handler(draft, context, value);
  if (key.starts_with("X-")) return Ok();
  if ((section == "Unit" && Contains(kUnsupportedUnitKeys, key)) ||
      (section == "Service" && Contains(kUnsupportedServiceKeys, key))) {
    return Unsupported(context, value);
  }
  if (section == "X-Vigil") {
    context.Warn(fmt::format(
        "Unknown key '{}' in section [X-Vigil] (vigil has no such setting), ignoring.", key));
    return Ok();
  }
  if (section.starts_with("X-")) return Ok();
  context.Warn(fmt::format("Unknown key '{}' in section [{}], ignoring.", key, section));
  return Ok();
}

}  // namespace vigil::config
