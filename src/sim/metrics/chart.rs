//! The charts of the windows' figures a link or a lesson can name: five against time, and the
//! state space (the backend queue against retry amplification).

/// A chart of the windows' figures, by the name links and lessons give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    Throughput,
    Latency,
    Queue,
    Utilization,
    Amplification,
    StateSpace,
}

impl Chart {
    pub const ALL: [Chart; 6] =
        [Chart::Throughput, Chart::Latency, Chart::Queue, Chart::Utilization, Chart::Amplification, Chart::StateSpace];

    /// The chart called `name` in a link (`hit-rate` is the utilisation chart, which draws the
    /// cache hit rate too).
    pub fn from_name(name: &str) -> Option<Chart> {
        match name {
            "hit-rate" => Some(Chart::Utilization),
            _ => Chart::ALL.into_iter().find(|c| c.name() == name),
        }
    }

    /// Its name in links (`charts=…`).
    pub fn name(self) -> &'static str {
        match self {
            Chart::Throughput => "throughput",
            Chart::Latency => "latency",
            Chart::Queue => "queue",
            Chart::Utilization => "utilization",
            Chart::Amplification => "amplification",
            Chart::StateSpace => "state-space",
        }
    }
}

impl Chart {
    /// Most names a list is read for (a link cannot make the notices grow without bound).
    const MOST_NAMES: usize = 12;

    /// Reads a comma-separated list of chart names (`throughput,hit-rate`): the charts, in order and
    /// each once, and the names that are not charts.
    pub fn read_list(text: &str) -> (Vec<Chart>, Vec<String>) {
        let (mut charts, mut unknown) = (Vec::new(), Vec::new());
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()).take(Self::MOST_NAMES) {
            match Chart::from_name(name) {
                Some(chart) if !charts.contains(&chart) => charts.push(chart),
                Some(_) => {}
                None => unknown.push(name.to_string()),
            }
        }
        (charts, unknown)
    }

    /// Every name, as a message lists them.
    pub fn names() -> String {
        let names: Vec<&str> = Chart::ALL.iter().map(|c| c.name()).collect();
        format!("{}, hit-rate", names.join(", "))
    }
}
