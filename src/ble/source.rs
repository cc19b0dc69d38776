//! Where the scanner's advertisement updates come from.
//!
//! btleplug's event stream is portable, but on Linux it makes a D-Bus round
//! trip (`GetAll` on the device) for every RSSI or data change, only to find
//! the device's id again. In a queue of 200 phones that dominates the CPU.
//! So on Linux the updates are read straight from BlueZ's signals through
//! bluez-async (btleplug's own BlueZ backend, same version): the change
//! itself is in the signal. btleplug still runs the adapter, the scan and
//! GATT reads. `BleConfig::direct_bluez_events = false` goes back to btleplug's stream.

use std::collections::BTreeMap;
#[cfg(target_os = "linux")]
use std::collections::VecDeque;
use std::pin::Pin;

use btleplug::api::{Central, CentralEvent, CentralState, Peripheral as _};
use btleplug::platform::{Adapter, PeripheralId};
use futures::{Stream, StreamExt};
use uuid::Uuid;

use super::advert::Advert;
use super::status::BleStatus;

/// What a device advertises, read in full.
#[derive(Debug, Clone)]
pub(super) struct Props {
    pub address: String,
    pub advert: Advert,
    pub rssi: Option<i16>,
}

/// One update, whichever source it came from.
#[derive(Debug)]
pub(super) enum Event {
    /// A device appeared; its properties must be read.
    Discovered(PeripheralId),
    /// A device with everything already known (initial listing; BlueZ only).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Known(PeripheralId, Props),
    Rssi(PeripheralId, i16),
    ManufacturerData(PeripheralId, BTreeMap<u16, Vec<u8>>),
    ServiceData(PeripheralId, BTreeMap<Uuid, Vec<u8>>),
    Services(PeripheralId, Vec<Uuid>),
    PoweredOff,
    Other,
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;

pub(super) enum Source {
    Btleplug {
        adapter: Adapter,
        events: BoxStream<CentralEvent>,
    },
    #[cfg(target_os = "linux")]
    Bluez(bluez::BluezSource),
}

impl Source {
    /// btleplug's portable event stream.
    pub async fn btleplug(adapter: &Adapter) -> Result<Self, BleStatus> {
        let events = adapter
            .events()
            .await
            .map_err(|e| BleStatus::from_error(&e))?;
        Ok(Source::Btleplug {
            adapter: adapter.clone(),
            events,
        })
    }

    /// The next update; `None` when the stream ended.
    pub async fn next(&mut self) -> Option<Event> {
        match self {
            Source::Btleplug { events, .. } => events.next().await.map(from_central),
            #[cfg(target_os = "linux")]
            Source::Bluez(s) => s.next().await,
        }
    }

    /// Everything BlueZ knows of a device now; `None` when it is gone.
    pub async fn properties(&self, id: &PeripheralId) -> Option<Props> {
        match self {
            Source::Btleplug { adapter, .. } => {
                let props = adapter
                    .peripheral(id)
                    .await
                    .ok()?
                    .properties()
                    .await
                    .ok()??;
                Some(Props {
                    address: props.address.to_string(),
                    advert: Advert::from_properties(&props),
                    rssi: props.rssi,
                })
            }
            #[cfg(target_os = "linux")]
            Source::Bluez(s) => s.properties(id).await,
        }
    }
}

fn from_central(event: CentralEvent) -> Event {
    match event {
        CentralEvent::DeviceDiscovered(id) | CentralEvent::DeviceUpdated(id) => {
            Event::Discovered(id)
        }
        CentralEvent::RssiUpdate { id, rssi } => Event::Rssi(id, rssi),
        CentralEvent::ManufacturerDataAdvertisement {
            id,
            manufacturer_data,
        } => Event::ManufacturerData(id, manufacturer_data.into_iter().collect()),
        CentralEvent::ServiceDataAdvertisement { id, service_data } => {
            Event::ServiceData(id, service_data.into_iter().collect())
        }
        CentralEvent::ServicesAdvertisement { id, services } => Event::Services(id, services),
        CentralEvent::StateUpdate(CentralState::PoweredOff) => Event::PoweredOff,
        _ => Event::Other,
    }
}

#[cfg(target_os = "linux")]
pub(super) mod bluez {
    use bluez_async::{
        AdapterEvent, AdapterId, BluetoothEvent, BluetoothSession, DeviceEvent, DeviceId,
        DeviceInfo,
    };

    use super::*;

    /// A bluez-async D-Bus connection, kept across sessions like btleplug's manager.
    pub(in crate::ble) async fn connect() -> Result<BluetoothSession, BleStatus> {
        let (_connection_task, session) = BluetoothSession::new()
            .await
            .map_err(|e| BleStatus::from_error_text(&format!("{e} {e:?}")))?;
        Ok(session)
    }

    pub(in crate::ble) struct BluezSource {
        session: BluetoothSession,
        adapter: AdapterId,
        events: BoxStream<BluetoothEvent>,
        initial: VecDeque<Event>,
    }

    fn props(info: DeviceInfo) -> (PeripheralId, Props) {
        let advert = Advert {
            name: info.name,
            services: info.services,
            manufacturer_data: info.manufacturer_data.into_iter().collect(),
            service_data: info.service_data.into_iter().collect(),
            tx_power: info.tx_power.and_then(|p| i8::try_from(p).ok()),
        };
        let props = Props {
            address: info.mac_address.to_string(),
            advert,
            rssi: info.rssi,
        };
        (info.id.into(), props)
    }

    impl BluezSource {
        /// Listens to the adapter named `name` (e.g. "hci0"), then lists the
        /// devices already there (the other order could miss one).
        pub async fn open(session: &BluetoothSession, name: &str) -> Result<Self, BleStatus> {
            let err =
                |e: bluez_async::BluetoothError| BleStatus::from_error_text(&format!("{e} {e:?}"));
            let adapter = session
                .get_adapters()
                .await
                .map_err(err)?
                .into_iter()
                .map(|a| a.id)
                .find(|id| id.to_string() == name)
                .ok_or(BleStatus::NoAdapter)?;
            let events = Box::pin(session.adapter_event_stream(&adapter).await.map_err(err)?);
            let initial = session
                .get_devices_on_adapter(&adapter)
                .await
                .map_err(err)?
                .into_iter()
                .map(|info| {
                    let (id, p) = props(info);
                    Event::Known(id, p)
                })
                .collect();
            Ok(Self {
                session: session.clone(),
                adapter,
                events,
                initial,
            })
        }

        pub async fn next(&mut self) -> Option<Event> {
            if let Some(e) = self.initial.pop_front() {
                return Some(e);
            }
            let event = self.events.next().await?;
            Some(match event {
                BluetoothEvent::Device { id, event } => match event {
                    DeviceEvent::Discovered => Event::Discovered(id.into()),
                    DeviceEvent::Rssi { rssi } => Event::Rssi(id.into(), rssi),
                    DeviceEvent::ManufacturerData { manufacturer_data } => {
                        Event::ManufacturerData(id.into(), manufacturer_data.into_iter().collect())
                    }
                    DeviceEvent::ServiceData { service_data } => {
                        Event::ServiceData(id.into(), service_data.into_iter().collect())
                    }
                    DeviceEvent::Services { services } => Event::Services(id.into(), services),
                    _ => Event::Other,
                },
                BluetoothEvent::Adapter {
                    id,
                    event: AdapterEvent::Powered { powered: false },
                } if id == self.adapter => Event::PoweredOff,
                _ => Event::Other,
            })
        }

        pub async fn properties(&self, id: &PeripheralId) -> Option<Props> {
            // btleplug's id prints as bluez-async's ("hci0/dev_…"), which parses back.
            let device: DeviceId = id.to_string().parse().ok()?;
            let info = self.session.get_device_info(&device).await.ok()?;
            Some(props(info).1)
        }
    }
}
