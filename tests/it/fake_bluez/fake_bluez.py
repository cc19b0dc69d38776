#!/usr/bin/python3
"""A small fake BlueZ (org.bluez) for tests: an adapter, devices with real
advertisement data (ManufacturerData a{qv}, ServiceData a{sv}, UUIDs, RSSI),
InterfacesAdded/Removed and PropertiesChanged, and one readable GATT
characteristic per device when asked.

It runs on whatever bus DBUS_SYSTEM_BUS_ADDRESS points at (a private one in
tests). The test drives it with one JSON command per line on stdin and waits
for "ACK <n>" on stdout after each; "READY" is printed once the name is owned.

Commands (field "op"):
  adapter_add {powered}        adapter_remove        powered {value}
  device_add {addr, rssi, name?, uuids?, mfr?, svc?, gatt?}
  device_set {addr, rssi?, mfr?, svc?, uuids?, name?}    device_remove {addr}
  crowd {count, hz}            a synthetic crowd whose RSSI changes hz times a second
mfr: {"<company id>": "<hex>"}; svc: {"<uuid>": "<hex>"}; gatt: {"<char uuid>": "<hex>"}
"""

import json
import os
import random
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

ADAPTER_PATH = "/org/bluez/hci0"
PROPS = "org.freedesktop.DBus.Properties"
OM = "org.freedesktop.DBus.ObjectManager"
ADAPTER1 = "org.bluez.Adapter1"
DEVICE1 = "org.bluez.Device1"
SERVICE1 = "org.bluez.GattService1"
CHAR1 = "org.bluez.GattCharacteristic1"


def byte_array(hex_text):
    return dbus.Array(bytes.fromhex(hex_text), signature="y")


def mfr_dict(mfr):
    return dbus.Dictionary({dbus.UInt16(int(k)): byte_array(v) for k, v in mfr.items()}, signature="qv")


def svc_dict(svc):
    return dbus.Dictionary({str(k): byte_array(v) for k, v in svc.items()}, signature="sv")


class PropObject(dbus.service.Object):
    """An exported object with one BlueZ interface and org.freedesktop.DBus.Properties."""

    def __init__(self, bus, path, iface, props):
        self.path = path
        self.iface = iface
        self.props = props
        dbus.service.Object.__init__(self, bus, path)

    def managed(self):
        return {self.iface: dbus.Dictionary(self.props, signature="sv")}

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, name):
        if iface != self.iface or name not in self.props:
            raise dbus.exceptions.DBusException("no such property", name="org.freedesktop.DBus.Error.InvalidArgs")
        return self.props[name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, iface):
        if iface != self.iface:
            return dbus.Dictionary({}, signature="sv")
        return dbus.Dictionary(self.props, signature="sv")

    @dbus.service.method(PROPS, in_signature="ssv")
    def Set(self, iface, name, value):
        self.change({name: value})

    @dbus.service.signal(PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, iface, changed, invalidated):
        pass

    def change(self, changed):
        self.props.update(changed)
        self.PropertiesChanged(self.iface, dbus.Dictionary(changed, signature="sv"), dbus.Array([], signature="s"))


class Adapter(PropObject):
    def __init__(self, bus, powered):
        PropObject.__init__(self, bus, ADAPTER_PATH, ADAPTER1, {
            "Address": "00:AA:01:02:03:04",
            "AddressType": "public",
            "Name": "fake-hci0",
            "Alias": "fake-hci0",
            "Modalias": "usb:v1D6Bp0246d0537",
            "Powered": dbus.Boolean(powered),
            "Discovering": dbus.Boolean(False),
            "Discoverable": dbus.Boolean(False),
        })
        self.discovery_calls = 0

    @dbus.service.method(ADAPTER1)
    def StartDiscovery(self):
        if not self.props["Powered"]:
            raise dbus.exceptions.DBusException("Resource Not Ready", name="org.bluez.Error.NotReady")
        self.discovery_calls += 1
        self.change({"Discovering": dbus.Boolean(True)})

    @dbus.service.method(ADAPTER1)
    def StopDiscovery(self):
        self.change({"Discovering": dbus.Boolean(False)})

    @dbus.service.method(ADAPTER1, in_signature="a{sv}")
    def SetDiscoveryFilter(self, _filter):
        pass

    @dbus.service.method(ADAPTER1, in_signature="o")
    def RemoveDevice(self, _path):
        pass


class Char(PropObject):
    def __init__(self, bus, path, service_path, uuid, value):
        PropObject.__init__(self, bus, path, CHAR1, {
            "UUID": uuid,
            "Service": dbus.ObjectPath(service_path),
            "Flags": dbus.Array(["read"], signature="s"),
        })
        self.value = value

    @dbus.service.method(CHAR1, in_signature="a{sv}", out_signature="ay")
    def ReadValue(self, _options):
        return byte_array(self.value)


class Device(PropObject):
    def __init__(self, bus, world, spec):
        path = ADAPTER_PATH + "/dev_" + spec["addr"].replace(":", "_")
        props = {
            "Address": spec["addr"],
            "AddressType": "random",
            "Alias": spec.get("name") or spec["addr"].replace(":", "-"),
            "Paired": dbus.Boolean(False),
            "Connected": dbus.Boolean(False),
            "ServicesResolved": dbus.Boolean(False),
            "Trusted": dbus.Boolean(False),
            "Blocked": dbus.Boolean(False),
            "LegacyPairing": dbus.Boolean(False),
            "Adapter": dbus.ObjectPath(ADAPTER_PATH),
            "RSSI": dbus.Int16(spec.get("rssi", -70)),
            "UUIDs": dbus.Array(spec.get("uuids", []), signature="s"),
            "ManufacturerData": mfr_dict(spec.get("mfr", {})),
            "ServiceData": svc_dict(spec.get("svc", {})),
        }
        if spec.get("name"):
            props["Name"] = spec["name"]
        PropObject.__init__(self, bus, path, DEVICE1, props)
        self.bus = bus
        self.world = world
        self.gatt = spec.get("gatt", {})
        self.gatt_objects = []

    @dbus.service.method(DEVICE1)
    def Connect(self):
        self.world.connects += 1
        if not self.gatt_objects and self.gatt:
            service_path = self.path + "/service0001"
            service = PropObject(self.bus, service_path, SERVICE1, {
                "UUID": "00004e56-73f5-4bc4-a12f-17d1ad07a667",
                "Primary": dbus.Boolean(True),
                "Device": dbus.ObjectPath(self.path),
            })
            self.gatt_objects.append(service)
            for i, (uuid, value) in enumerate(self.gatt.items()):
                char = Char(self.bus, "%s/char%04x" % (service_path, i + 2), service_path, uuid, value)
                self.gatt_objects.append(char)
            for obj in self.gatt_objects:
                self.world.root.InterfacesAdded(obj.path, obj.managed())
        self.change({"Connected": dbus.Boolean(True), "ServicesResolved": dbus.Boolean(True)})

    @dbus.service.method(DEVICE1)
    def Disconnect(self):
        self.change({"Connected": dbus.Boolean(False), "ServicesResolved": dbus.Boolean(False)})

    def unexport(self):
        for obj in reversed(self.gatt_objects):
            self.world.root.InterfacesRemoved(obj.path, [obj.iface])
            obj.remove_from_connection()
        self.gatt_objects = []
        self.world.root.InterfacesRemoved(self.path, [DEVICE1])
        self.remove_from_connection()


class Root(dbus.service.Object):
    def __init__(self, bus, world):
        dbus.service.Object.__init__(self, bus, "/")
        self.world = world

    @dbus.service.method(OM, out_signature="a{oa{sa{sv}}}")
    def GetManagedObjects(self):
        out = {}
        for obj in self.world.exported():
            out[dbus.ObjectPath(obj.path)] = obj.managed()
        return dbus.Dictionary(out, signature="oa{sa{sv}}")

    @dbus.service.signal(OM, signature="oa{sa{sv}}")
    def InterfacesAdded(self, path, interfaces):
        pass

    @dbus.service.signal(OM, signature="oas")
    def InterfacesRemoved(self, path, interfaces):
        pass


class World:
    """Devices exist in the world; they are visible on the bus only while the adapter is."""

    def __init__(self, bus):
        self.bus = bus
        self.root = Root(bus, self)
        self.adapter = None
        self.specs = {}
        self.devices = {}
        self.connects = 0
        self.crowd = []

    def exported(self):
        objs = []
        if self.adapter is not None:
            objs.append(self.adapter)
            for dev in self.devices.values():
                objs.append(dev)
                objs.extend(dev.gatt_objects)
        return objs

    def export_device(self, spec):
        dev = Device(self.bus, self, spec)
        self.devices[spec["addr"]] = dev
        self.root.InterfacesAdded(dev.path, dev.managed())

    def adapter_add(self, cmd):
        if self.adapter is None:
            self.adapter = Adapter(self.bus, cmd.get("powered", True))
            self.root.InterfacesAdded(self.adapter.path, self.adapter.managed())
            for spec in self.specs.values():
                self.export_device(spec)

    def adapter_remove(self, _cmd):
        if self.adapter is not None:
            for dev in list(self.devices.values()):
                dev.unexport()
            self.devices = {}
            self.root.InterfacesRemoved(self.adapter.path, [ADAPTER1])
            self.adapter.remove_from_connection()
            self.adapter = None

    def powered(self, cmd):
        if self.adapter is not None:
            self.adapter.change({"Powered": dbus.Boolean(cmd["value"])})

    def device_add(self, cmd):
        spec = dict(cmd)
        spec.pop("op", None)
        self.specs[spec["addr"]] = spec
        if self.adapter is not None:
            self.export_device(spec)

    def device_set(self, cmd):
        addr = cmd["addr"]
        spec = self.specs[addr]
        changed = {}
        if "rssi" in cmd:
            spec["rssi"] = cmd["rssi"]
            changed["RSSI"] = dbus.Int16(cmd["rssi"])
        if "mfr" in cmd:
            spec["mfr"] = cmd["mfr"]
            changed["ManufacturerData"] = mfr_dict(cmd["mfr"])
        if "svc" in cmd:
            spec["svc"] = cmd["svc"]
            changed["ServiceData"] = svc_dict(cmd["svc"])
        if "uuids" in cmd:
            spec["uuids"] = cmd["uuids"]
            changed["UUIDs"] = dbus.Array(cmd["uuids"], signature="s")
        dev = self.devices.get(addr)
        if dev is not None and changed:
            dev.change(changed)

    def device_remove(self, cmd):
        self.specs.pop(cmd["addr"], None)
        dev = self.devices.pop(cmd["addr"], None)
        if dev is not None:
            dev.unexport()

    def crowd_cmd(self, cmd):
        """A queue of phones and gadgets; every tick a slice of them reports a new RSSI."""
        count = int(cmd["count"])
        hz = float(cmd["hz"])
        rng = random.Random(7)
        for i in range(count):
            addr = "C0:00:00:%02X:%02X:%02X" % (i // 256, i % 256, i % 7)
            kind = i % 4
            spec = {"addr": addr, "rssi": rng.randint(-95, -50)}
            if kind == 0:
                spec["uuids"] = ["00004e56-0000-1000-8000-00805f9b34fb"]
                spec["mfr"] = {"8885": "%024X" % rng.getrandbits(96)}
            elif kind == 1:
                spec["mfr"] = {"76": "01" + "08" + "00" * 15}
            elif kind == 2:
                spec["uuids"] = ["0000fd6f-0000-1000-8000-00805f9b34fb"]
                spec["svc"] = {"0000fd6f-0000-1000-8000-00805f9b34fb": "%040X" % rng.getrandbits(160)}
            else:
                spec["mfr"] = {"301": "0102030405"}
                spec["name"] = "Headset %d" % i
            self.device_add(spec)
            self.crowd.append(addr)
        tick_ms = 50
        per_tick = max(1, int(round(count * hz * tick_ms / 1000.0)))
        state = {"next": 0}

        def tick():
            if self.adapter is not None:
                for _ in range(per_tick):
                    addr = self.crowd[state["next"] % len(self.crowd)]
                    state["next"] += 1
                    dev = self.devices.get(addr)
                    if dev is not None:
                        dev.change({"RSSI": dbus.Int16(rng.randint(-95, -50))})
            return True

        GLib.timeout_add(tick_ms, tick)


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    world = World(bus)
    # Own the name only after the root object exists, so a client never sees a half-made service.
    _name = dbus.service.BusName("org.bluez", bus)
    loop = GLib.MainLoop()
    handlers = {
        "adapter_add": world.adapter_add,
        "adapter_remove": world.adapter_remove,
        "powered": world.powered,
        "device_add": world.device_add,
        "device_set": world.device_set,
        "device_remove": world.device_remove,
        "crowd": world.crowd_cmd,
    }
    buf = {"data": b"", "n": 0}

    def on_stdin(fd, condition):
        chunk = os.read(fd, 65536)
        if not chunk:
            loop.quit()
            return False
        buf["data"] += chunk
        while b"\n" in buf["data"]:
            line, buf["data"] = buf["data"].split(b"\n", 1)
            if not line.strip():
                continue
            buf["n"] += 1
            try:
                cmd = json.loads(line)
                if cmd["op"] == "stats":
                    print("STATS connects=%d" % world.connects, flush=True)
                else:
                    handlers[cmd["op"]](cmd)
                print("ACK %d" % buf["n"], flush=True)
            except Exception as e:  # a broken command must say so, not hang the test
                print("ERR %d %r" % (buf["n"], e), flush=True)
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_stdin)
    print("READY", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
