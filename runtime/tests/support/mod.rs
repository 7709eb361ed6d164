pub mod pycall;
