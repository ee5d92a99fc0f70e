#!/bin/sh
# Installs the Debian 12 packages icsflow needs to build, test and plot; quiet when all are present.
# Idempotent: asks apt only for what dpkg does not already report as installed.
set -eu

packages="build-essential cmake ninja-build pkg-config git
libboost-dev libnlopt-cxx-dev libeigen3-dev libtbb-dev libcli11-dev libtoml11-dev libhdf5-dev hdf5-tools libgtest-dev
libsimgrid-dev libopenmpi-dev openmpi-bin slurm-wlm munge
clang libclang-rt-14-dev
python3 python3-h5py python3-numpy python3-matplotlib time
chromium"

missing=""
for package in $packages; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run this script as root (or install them with apt-get) and try again" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $missing >/dev/null
