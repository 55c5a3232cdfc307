//! The simulator's in-memory event bus: topics with their events, the schema registry, replay
//! ids, retention, and the fault switches the Subscribe streams obey.
//!
//! Replay ids are 8-byte big-endian counters that step by a random 1–5 (monotonic but not
//! contiguous, like Salesforce's), starting from a random base per bus so a checkpoint from
//! before a sandbox reset is unknown afterwards. It lives inside the Salesforce simulator's
//! state (one mutex with the tokens and settings), so a reset replaces it: the old bus's
//! watch senders drop, which ends its live streams with UNAVAILABLE.

use crate::server::integrations::salesforce::pubsub::event::{self, ProvisionRequested};
use crate::server::integrations::salesforce::pubsub::proto::{ConsumerEvent, ProducerEvent};
use crate::server::integrations::salesforce::pubsub::schema_id;
use anyhow::{Context, anyhow};
use apache_avro::Schema;
use rand::Rng;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// One stored event.
struct Stored {
    replay: u64,
    event: ProducerEvent,
    published: Instant,
}

/// One topic.
pub struct Topic {
    /// The schema new events are written with.
    pub schema_id: String,
    events: VecDeque<Stored>,
    /// The highest replay id dropped by retention (0 = none).
    purged_through: u64,
}

/// Where a Subscribe stream starts, or why it cannot.
#[derive(Debug, PartialEq, Eq)]
pub enum Start {
    /// Deliver events with a replay id above this.
    After(u64),
    /// The replay id is malformed, unknown or outside retention.
    Refused,
}

/// The bus.
pub struct Bus {
    topics: BTreeMap<String, Topic>,
    schemas: HashMap<String, String>,
    /// Every replay id issued so far is ≤ this; the base itself counts as issued (it is what
    /// a keepalive reports before any event).
    last_replay: u64,
    base: u64,
    /// Silent hang: streams send nothing (no events, no keepalives) while set.
    pub hang: bool,
    /// The next CUSTOM subscription also redelivers this many events at or before its id.
    pub duplicate_next: usize,
    /// Bumped to end every live stream with UNAVAILABLE.
    kill: watch::Sender<u64>,
    /// Bumped on every publish, so streams wake up at once.
    changed: watch::Sender<u64>,
}

impl Default for Bus {
    fn default() -> Self {
        let base = rand::rng().random_range(1_000..1_000_000);
        let mut bus = Bus {
            topics: BTreeMap::new(),
            schemas: HashMap::new(),
            last_replay: base,
            base,
            hang: false,
            duplicate_next: 0,
            kill: watch::Sender::new(0),
            changed: watch::Sender::new(0),
        };
        if let Err(err) = bus.register_topic(event::TOPIC, event::SCHEMA_JSON) {
            tracing::error!(
                error = format!("{err:#}"),
                "the sandbox could not register its event topic"
            );
        }
        bus
    }
}

/// The 8-byte big-endian form of a replay id.
pub fn replay_bytes(replay: u64) -> Vec<u8> {
    replay.to_be_bytes().to_vec()
}

impl Bus {
    /// Adds (or replaces) a topic whose events use `schema_json`.
    pub fn register_topic(&mut self, name: &str, schema_json: &str) -> anyhow::Result<String> {
        let id = self.register_schema(schema_json)?;
        self.topics.insert(
            name.to_owned(),
            Topic {
                schema_id: id.clone(),
                events: VecDeque::new(),
                purged_through: 0,
            },
        );
        Ok(id)
    }

    fn register_schema(&mut self, json: &str) -> anyhow::Result<String> {
        let id = schema_id::of_json(json).context("not an Avro schema")?;
        self.schemas.insert(id.clone(), json.to_owned());
        Ok(id)
    }

    /// A topic, if it exists.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// The topics' names.
    pub fn topic_names(&self) -> impl Iterator<Item = &String> {
        self.topics.keys()
    }

    /// A registered schema's JSON.
    pub fn schema_json(&self, id: &str) -> Option<&str> {
        self.schemas.get(id).map(String::as_str)
    }

    /// Events retained on a topic.
    pub fn retained(&self, topic: &str) -> usize {
        self.topics.get(topic).map_or(0, |t| t.events.len())
    }

    /// The highest replay id issued (the base before any event).
    pub fn latest(&self) -> u64 {
        self.last_replay
    }

    /// Gives `topic`'s schema one more nullable text field: a new schema id, as when an admin
    /// adds a field to the platform event. Older events keep their schema id.
    pub fn add_field(&mut self, topic: &str, field: &str) -> anyhow::Result<String> {
        let current = self
            .topics
            .get(topic)
            .and_then(|t| self.schemas.get(&t.schema_id))
            .ok_or_else(|| anyhow!("unknown topic {topic}"))?;
        let mut json: serde_json::Value = serde_json::from_str(current)?;
        let fields = json
            .get_mut("fields")
            .and_then(serde_json::Value::as_array_mut)
            .ok_or_else(|| anyhow!("the schema has no fields"))?;
        fields.push(serde_json::json!({
            "name": field, "type": ["null", "string"], "doc": "Data:Text", "default": null
        }));
        let id = self.register_schema(&json.to_string())?;
        if let Some(t) = self.topics.get_mut(topic) {
            t.schema_id = id.clone();
        }
        Ok(id)
    }

    /// Stores already-encoded events; returns their replay ids.
    pub fn publish(&mut self, topic: &str, events: Vec<ProducerEvent>) -> anyhow::Result<Vec<u64>> {
        if !self.topics.contains_key(topic) {
            return Err(anyhow!("unknown topic {topic}"));
        }
        let mut ids = Vec::with_capacity(events.len());
        for event in events {
            self.last_replay += rand::rng().random_range(1..=5);
            let replay = self.last_replay;
            if let Some(t) = self.topics.get_mut(topic) {
                t.events.push_back(Stored {
                    replay,
                    event,
                    published: Instant::now(),
                });
            }
            ids.push(replay);
        }
        self.changed.send_modify(|n| *n += 1);
        Ok(ids)
    }

    /// Encodes `event` with the topic's current schema and publishes it.
    pub fn publish_provision(
        &mut self,
        topic: &str,
        event: &ProvisionRequested,
    ) -> anyhow::Result<u64> {
        let schema_id = self
            .topics
            .get(topic)
            .map(|t| t.schema_id.clone())
            .ok_or_else(|| anyhow!("unknown topic {topic}"))?;
        let json = self
            .schemas
            .get(&schema_id)
            .ok_or_else(|| anyhow!("schema lost"))?;
        let schema = Schema::parse_str(json)?;
        let producer = ProducerEvent {
            id: if event.event_id.is_empty() {
                uuid::Uuid::new_v4().to_string()
            } else {
                event.event_id.clone()
            },
            schema_id,
            payload: event::encode(&schema, event)?,
            headers: Vec::new(),
        };
        self.publish(topic, vec![producer])?
            .pop()
            .ok_or_else(|| anyhow!("nothing published"))
    }

    /// Drops events older than `retention` from every topic.
    pub fn purge(&mut self, retention: Duration) {
        for topic in self.topics.values_mut() {
            while topic
                .events
                .front()
                .is_some_and(|e| e.published.elapsed() >= retention)
            {
                if let Some(dropped) = topic.events.pop_front() {
                    topic.purged_through = dropped.replay;
                }
            }
        }
    }

    /// Where a CUSTOM subscription from `replay_id` starts. Accepted: an id of a retained event,
    /// the last purged one (nothing after it is lost), or the base. Anything else — wrong
    /// length, never issued, or older than retention — is refused.
    pub fn custom_start(&mut self, topic: &str, replay_id: &[u8]) -> Start {
        let Ok(bytes) = <[u8; 8]>::try_from(replay_id) else {
            return Start::Refused;
        };
        let id = u64::from_be_bytes(bytes);
        let Some(t) = self.topics.get(topic) else {
            return Start::Refused;
        };
        let retained = t.events.binary_search_by_key(&id, |e| e.replay);
        let known = retained.is_ok() || (id == t.purged_through && id != 0) || id == self.base;
        if !known || id < t.purged_through {
            return Start::Refused;
        }
        if self.duplicate_next > 0 {
            // Fault: redeliver the `duplicate_next` events at or before `id` as well.
            let upto = retained.map_or(0, |i| i + 1);
            let from = upto.saturating_sub(self.duplicate_next);
            self.duplicate_next = 0;
            if from < upto {
                return Start::After(
                    from.checked_sub(1)
                        .and_then(|i| t.events.get(i))
                        .map_or(t.purged_through.max(self.base), |e| e.replay),
                );
            }
        }
        Start::After(id)
    }

    /// Where EARLIEST starts: before every retained event.
    pub fn earliest_start(&self, topic: &str) -> u64 {
        self.topics
            .get(topic)
            .map_or(self.base, |t| t.purged_through.max(self.base))
    }

    /// Up to `max` events of `topic` after `cursor`.
    pub fn after(&self, topic: &str, cursor: u64, max: usize) -> Vec<ConsumerEvent> {
        let Some(t) = self.topics.get(topic) else {
            return Vec::new();
        };
        let start = t.events.partition_point(|e| e.replay <= cursor);
        t.events
            .iter()
            .skip(start)
            .take(max)
            .map(|e| ConsumerEvent {
                event: Some(e.event.clone()),
                replay_id: replay_bytes(e.replay),
            })
            .collect()
    }

    /// Ends every live stream with UNAVAILABLE.
    pub fn drop_streams(&self) {
        self.kill.send_modify(|n| *n += 1);
    }

    /// A stream's receivers: (kill epoch, publish notifications).
    pub fn watchers(&self) -> (watch::Receiver<u64>, watch::Receiver<u64>) {
        (self.kill.subscribe(), self.changed.subscribe())
    }

    /// Live Subscribe streams (each holds one kill receiver).
    pub fn live_streams(&self) -> usize {
        self.kill.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(order: &str) -> ProvisionRequested {
        ProvisionRequested {
            event_id: String::new(),
            order_id: Some(order.into()),
            idem_key: Some(format!("{order}:1")),
            created_ms: 1,
            created_by: "005000000000001AAA".into(),
        }
    }

    #[test]
    fn replay_ids_grow_non_contiguously_and_custom_is_exclusive() {
        let mut bus = Bus::default();
        let ids: Vec<u64> = (0..20)
            .map(|i| {
                bus.publish_provision(event::TOPIC, &event(&i.to_string()))
                    .expect("published")
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[1] > w[0] && w[1] - w[0] <= 5));
        let Start::After(cursor) = bus.custom_start(event::TOPIC, &replay_bytes(ids[4])) else {
            panic!("refused a retained id");
        };
        let next = bus.after(event::TOPIC, cursor, 2);
        assert_eq!(next.len(), 2);
        assert_eq!(next[0].replay_id, replay_bytes(ids[5]));
        assert_eq!(
            bus.after(event::TOPIC, bus.earliest_start(event::TOPIC), 100)
                .len(),
            20
        );
    }

    #[test]
    fn bad_unknown_and_expired_ids_are_refused() {
        let mut bus = Bus::default();
        let first = bus
            .publish_provision(event::TOPIC, &event("a"))
            .expect("published");
        let second = bus
            .publish_provision(event::TOPIC, &event("b"))
            .expect("published");
        assert_eq!(bus.custom_start(event::TOPIC, b"12907414"), Start::Refused);
        assert_eq!(bus.custom_start(event::TOPIC, &[1, 2, 3]), Start::Refused);
        assert_eq!(
            bus.custom_start(event::TOPIC, &replay_bytes(second + 100)),
            Start::Refused
        );
        bus.purge(Duration::ZERO);
        assert_eq!(
            bus.custom_start(event::TOPIC, &replay_bytes(first)),
            Start::Refused
        );
        // The newest purged id loses nothing, so it is still a valid place to resume.
        assert_eq!(
            bus.custom_start(event::TOPIC, &replay_bytes(second)),
            Start::After(second)
        );
    }

    #[test]
    fn the_duplicate_fault_redelivers_the_last_n_once() {
        let mut bus = Bus::default();
        let ids: Vec<u64> = (0..5)
            .map(|i| {
                bus.publish_provision(event::TOPIC, &event(&i.to_string()))
                    .expect("published")
            })
            .collect();
        bus.duplicate_next = 2;
        let Start::After(cursor) = bus.custom_start(event::TOPIC, &replay_bytes(ids[3])) else {
            panic!("refused");
        };
        let again: Vec<Vec<u8>> = bus
            .after(event::TOPIC, cursor, 10)
            .into_iter()
            .map(|e| e.replay_id)
            .collect();
        assert_eq!(
            again,
            vec![
                replay_bytes(ids[2]),
                replay_bytes(ids[3]),
                replay_bytes(ids[4])
            ]
        );
        assert_eq!(
            bus.custom_start(event::TOPIC, &replay_bytes(ids[3])),
            Start::After(ids[3])
        );
    }

    #[test]
    fn an_added_field_is_a_new_schema_id() {
        let mut bus = Bus::default();
        let old = bus.topic(event::TOPIC).expect("topic").schema_id.clone();
        assert_eq!(old, "qAZU0hHax7ZKzpJYaguztA");
        let new = bus.add_field(event::TOPIC, "Note__c").expect("evolved");
        assert_ne!(old, new);
        assert!(bus.schema_json(&old).is_some() && bus.schema_json(&new).is_some());
    }
}
