//! A rule's options: each rule that has any declares its own `Options` struct
//! (serde, unknown keys refused), read from `[rules.<id>]` of a configuration next to
//! `level`. The configuration knows no rule's options by name: it hands the table to
//! the registry, which reads it into the rule's type with spans kept, so an error
//! points at the key or value it is about.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::Range;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::diagnostic::{Level, RuleId};

/// What a rule's options type provides.
pub trait RuleOptions:
    for<'de> Deserialize<'de> + JsonSchema + Default + Clone + Debug + Send + Sync + 'static
{
    /// Problems its type cannot express (a minimum), each with the span of its value.
    fn problems(&self) -> Vec<(String, Range<usize>)> {
        Vec::new()
    }

    /// `over` (a later layer: an override) on top of `self`; options `over` leaves
    /// unset keep this layer's value.
    fn merged(&self, over: &Self) -> Self;
}

/// The options of a rule that has none: any key but `level` is refused.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

impl RuleOptions for NoOptions {
    fn merged(&self, _over: &Self) -> Self {
        NoOptions {}
    }
}

/// The link from a rule's type to its id and options type, written by `declare_rule!`.
pub trait Configurable {
    const ID: RuleId;
    type Options: RuleOptions;
}

/// One rule's options with the type erased, so the configuration can hold every
/// rule's in one map.
pub trait AnyOptions: Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn problems(&self) -> Vec<(String, Range<usize>)>;
    fn merged_onto(&self, base: &dyn AnyOptions) -> Arc<dyn AnyOptions>;
}

impl<T: RuleOptions> AnyOptions for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn problems(&self) -> Vec<(String, Range<usize>)> {
        RuleOptions::problems(self)
    }

    fn merged_onto(&self, base: &dyn AnyOptions) -> Arc<dyn AnyOptions> {
        match base.as_any().downcast_ref::<T>() {
            Some(base) => Arc::new(base.merged(self)),
            None => Arc::new(self.clone()),
        }
    }
}

/// Every rule's options for one document; a rule with none written gets its default.
#[derive(Debug, Clone, Default)]
pub struct OptionSet(BTreeMap<RuleId, Arc<dyn AnyOptions>>);

impl OptionSet {
    pub fn insert(&mut self, id: RuleId, options: Arc<dyn AnyOptions>) {
        self.0.insert(id, options);
    }

    /// The options of rule `R`.
    pub fn get<R: Configurable>(&self) -> R::Options {
        self.0
            .get(&R::ID)
            .and_then(|o| o.as_any().downcast_ref::<R::Options>())
            .cloned()
            .unwrap_or_default()
    }

    /// `over` on top of `self`, rule by rule.
    pub fn merged(&self, over: &OptionSet) -> OptionSet {
        let mut out = self.clone();
        for (id, o) in &over.0 {
            let merged = match self.0.get(id) {
                Some(base) => o.merged_onto(base.as_ref()),
                None => o.clone(),
            };
            out.0.insert(*id, merged);
        }
        out
    }
}

/// A rule's table in `[rules]`: `level` and, in the same table, the rule's options.
#[derive(Debug)]
pub struct RuleTable {
    pub level: Option<Level>,
    pub options: Arc<dyn AnyOptions>,
}

/// Reads `[rules.<id>]` (or `<id> = { ... }`) for rule `id`: `level` here, every
/// other key by the rule's options type.
pub struct TableSeed(pub RuleId);

impl<'de> DeserializeSeed<'de> for TableSeed {
    type Value = RuleTable;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RuleTable, D::Error> {
        struct TableVisitor(RuleId);
        impl<'de> Visitor<'de> for TableVisitor {
            type Value = RuleTable;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of `level` and the rule's options")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleTable, A::Error> {
                let mut level = None;
                let options = super::read_options(
                    self.0,
                    WithoutLevel {
                        rule: self.0,
                        map,
                        level: &mut level,
                    },
                )?;
                Ok(RuleTable { level, options })
            }
        }
        d.deserialize_map(TableVisitor(self.0))
    }
}

/// The rule's table with `level` taken out, as a deserializer for its options type.
/// Keys and values are read through the configuration's own deserializer, so an
/// error carries the span of the key or value it is about.
struct WithoutLevel<'l, A> {
    rule: RuleId,
    map: A,
    level: &'l mut Option<Level>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for WithoutLevel<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutLevel<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let Some(seed_now) = seed.take() else {
                return Ok(None);
            };
            match self.map.next_key_seed(KeySeed(self.rule, seed_now))? {
                None => return Ok(None),
                Some(Key::Option(k)) => return Ok(Some(k)),
                Some(Key::Level(unused)) => {
                    *self.level = Some(self.map.next_value()?);
                    seed = Some(unused);
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

enum Key<S, T> {
    /// `level`, with the seed handed back for the next key.
    Level(S),
    Option(T),
}

/// A key of the rule's table: `level`, or a key for the options type, read inside
/// the configuration's own key deserializer so an unknown key's error is located.
struct KeySeed<K>(RuleId, K);

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<K> {
    type Value = Key<K, K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let key = String::deserialize(d)?;
        let KeySeed(rule, seed) = self;
        if key == "level" {
            return Ok(Key::Level(seed));
        }
        seed.deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&key))
            .map(Key::Option)
            .map_err(|e| match super::option_owner(&key) {
                Some(owner) if owner != rule => serde::de::Error::custom(format!(
                    "`{key}` is an option of `{owner}`, not of `{rule}`"
                )),
                _ => e,
            })
    }
}

/// The JSON schema of rule `O`'s table: `level` plus its options' properties.
pub fn table_schema<O: RuleOptions>(
    generator: &mut schemars::SchemaGenerator,
    level: schemars::Schema,
) -> schemars::Schema {
    let mut properties = serde_json::Map::new();
    properties.insert("level".into(), level.into());
    let options = generator.root_schema_for::<O>();
    if let Some(serde_json::Value::Object(props)) = options.get("properties") {
        properties.extend(props.clone());
    }
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The names of `O`'s options, from its schema.
pub fn option_names<O: RuleOptions>() -> Vec<String> {
    let schema = schemars::SchemaGenerator::default().root_schema_for::<O>();
    match schema.get("properties") {
        Some(serde_json::Value::Object(props)) => props.keys().cloned().collect(),
        _ => Vec::new(),
    }
}
