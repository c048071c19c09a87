"""Hardware drivers: AK-series motors over CAN (MIT mode) and ICM-20948 IMUs over I2C.

Pure hardware layer: no ROS, no node runtime. Node wrappers construct these classes with a
bus object passed in (python-can ``BusABC``, smbus2 ``SMBus``-like) and call their methods.
"""
