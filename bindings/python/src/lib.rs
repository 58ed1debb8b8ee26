//! The Python binding: PyO3 classes over the Rust layer of the C ABI crate
//! (`double_random_ffi::api`), the same functions the C ABI calls, so the two bindings cannot
//! drift apart. The Python package `double_random` (python/) wraps these with dicts, types and
//! exceptions; this module is its `_native` part.

use double_random_ffi::Error;
use double_random_ffi::api::{self, InputFiles};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The error as the package's exception (double_random.errors.from_json picks the class).
fn raise(py: Python<'_>, e: Error) -> PyErr {
    let json = String::from_utf8_lossy(&e.to_json()).into_owned();
    match py
        .import("double_random.errors")
        .and_then(|m| m.getattr("from_json"))
        .and_then(|f| f.call1((json,)))
    {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

fn bytes(py: Python<'_>, r: Result<Vec<u8>, Error>) -> PyResult<Py<PyBytes>> {
    match r {
        Ok(b) => Ok(PyBytes::new(py, &b).unbind()),
        Err(e) => Err(raise(py, e)),
    }
}

/// Checked inputs of a draw.
#[pyclass(frozen, module = "double_random._native")]
struct Inputs(api::Inputs);

#[pymethods]
impl Inputs {
    /// Reads and checks the rosters (CSV bytes) and the plan (TOML bytes).
    #[staticmethod]
    #[pyo3(signature = (entities, inspectors, items, plan, conflicts=None, history=None))]
    fn load(
        py: Python<'_>,
        entities: &[u8],
        inspectors: &[u8],
        items: &[u8],
        plan: &[u8],
        conflicts: Option<&[u8]>,
        history: Option<&[u8]>,
    ) -> PyResult<Inputs> {
        let files = InputFiles {
            entities,
            inspectors,
            items,
            conflicts,
            history,
            plan,
        };
        py.detach(|| api::Inputs::load(&files))
            .map(Inputs)
            .map_err(|e| raise(py, e))
    }

    /// The check's report as JSON bytes.
    fn report<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.report())
    }
}

/// The organizer's signing key; wiped from memory when collected.
#[pyclass(frozen, module = "double_random._native")]
struct Key(api::Key);

#[pymethods]
impl Key {
    /// A key from its 8-byte id and 32-byte seed.
    #[staticmethod]
    fn from_seed(key_id: &[u8], seed: &[u8]) -> PyResult<Key> {
        let id: [u8; 8] = key_id
            .try_into()
            .map_err(|_| PyValueError::new_err("key_id is 8 bytes"))?;
        if seed.len() != 32 {
            return Err(PyValueError::new_err("seed is 32 bytes"));
        }
        let mut s = zeroize::Zeroizing::new([0u8; 32]);
        s.copy_from_slice(seed);
        Ok(Key(api::Key::from_seed(id, &s)))
    }

    /// A key from a minisign secret key file's text and its password, if encrypted.
    #[staticmethod]
    #[pyo3(signature = (text, password=None))]
    fn from_minisign(py: Python<'_>, text: &str, password: Option<&[u8]>) -> PyResult<Key> {
        py.detach(|| api::Key::from_minisign(text, password))
            .map(Key)
            .map_err(|e| raise(py, e))
    }

    /// `{"key_id", "public_key"}` as JSON bytes.
    fn public<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.public())
    }
}

/// An office in memory: log and published documents.
#[pyclass(frozen, module = "double_random._native")]
struct Office(api::Office);

#[pymethods]
impl Office {
    #[new]
    fn new() -> Office {
        Office(api::Office::new())
    }

    fn set_log(&self, log: &[u8]) {
        self.0.set_log(log);
    }

    fn log<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.log())
    }

    fn put(&self, py: Python<'_>, draw_id: &str, name: &str, data: &[u8]) -> PyResult<()> {
        self.0.put(draw_id, name, data).map_err(|e| raise(py, e))
    }

    fn get(&self, py: Python<'_>, draw_id: &str, name: &str) -> PyResult<Py<PyBytes>> {
        bytes(py, self.0.get(draw_id, name))
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn list<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.list())
    }

    fn announce(
        &self,
        py: Python<'_>,
        inputs: &Inputs,
        key: &Key,
        request: &[u8],
    ) -> PyResult<Py<PyBytes>> {
        let r = py.detach(|| self.0.announce(&inputs.0, &key.0, request));
        bytes(py, r)
    }

    fn draw(
        &self,
        py: Python<'_>,
        inputs: &Inputs,
        key: &Key,
        request: &[u8],
    ) -> PyResult<Py<PyBytes>> {
        let r = py.detach(|| self.0.draw(&inputs.0, &key.0, request));
        bytes(py, r)
    }

    fn amend(
        &self,
        py: Python<'_>,
        inputs: &Inputs,
        key: &Key,
        request: &[u8],
    ) -> PyResult<Py<PyBytes>> {
        let r = py.detach(|| self.0.amend(&inputs.0, &key.0, request));
        bytes(py, r)
    }

    fn void(&self, py: Python<'_>, key: &Key, request: &[u8]) -> PyResult<Py<PyBytes>> {
        let r = py.detach(|| self.0.void(&key.0, request));
        bytes(py, r)
    }

    #[pyo3(signature = (inputs, request))]
    fn verify(
        &self,
        py: Python<'_>,
        inputs: Option<&Inputs>,
        request: &[u8],
    ) -> PyResult<Py<PyBytes>> {
        let r = py.detach(|| self.0.verify(inputs.map(|i| &i.0), request));
        bytes(py, r)
    }
}

/// The library's version.
#[pyfunction]
fn version() -> &'static str {
    api::VERSION
}

/// A party's commitment to its secret (JSON request, JSON result).
#[pyfunction]
fn commitment(py: Python<'_>, request: &[u8]) -> PyResult<Py<PyBytes>> {
    bytes(py, api::commit(request))
}

/// One stratum replayed from its member list (JSON request, JSON result).
#[pyfunction]
fn replay_stratum(py: Python<'_>, request: &[u8]) -> PyResult<Py<PyBytes>> {
    let r = py.detach(|| api::replay_stratum(request));
    bytes(py, r)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Inputs>()?;
    m.add_class::<Key>()?;
    m.add_class::<Office>()?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(commitment, m)?)?;
    m.add_function(wrap_pyfunction!(replay_stratum, m)?)?;
    Ok(())
}
