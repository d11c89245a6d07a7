#!/bin/busybox sh
# /init of the live lab guest (lab/live/live-guest.sh fills in the @...@ values). First boot:
# ramoops, the NIC and netconsole (plain and extended targets), then the crash; kernel.panic=1
# reboots it (a warm reset: the ramoops area keeps the records). Second boot: ramoops finds the
# records, /sys/fs/pstore shows them; they are printed base64-encoded between PSTORE-BEGIN/END
# lines on the serial console, and the guest powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
M=/lib/live
log() { echo "LIVE: $*" > /dev/kmsg; }

# the pstore RAM backend in the memmap= reservation (fs/pstore/ram.c); ecc off, dmesg records only
insmod $M/reed_solomon.ko
insmod $M/ramoops.ko mem_address=@RAMOOPS_ADDR@ mem_size=@RAMOOPS_SIZE@ record_size=@RAMOOPS_RECORD@ ecc=0
mount -t pstore pstore /sys/fs/pstore 2>/dev/null
if [ -n "$(ls /sys/fs/pstore 2>/dev/null)" ]; then
	echo "LIVE: second boot, pstore holds: $(ls /sys/fs/pstore | tr '\n' ' ')"
	for f in /sys/fs/pstore/*; do
		echo "PSTORE-BEGIN $(basename "$f") $(stat -c %s "$f")"
		base64 "$f"
		echo "PSTORE-END"
	done
	echo "LIVE: pstore dumped"
	sync
	poweroff -f
fi

log "first boot, kernel $(uname -r)"
sysctl -q -w kernel.printk="7 4 1 7"
sysctl -q -w kernel.panic_on_oops=1
sysctl -q -w kernel.panic=1
sysctl -q -w kernel.sysrq=1
insmod $M/e1000.ko
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
insmod $M/configfs.ko
# netpoll needs the carrier: give the link a moment before the targets are set up
sleep 2
insmod $M/netconsole.ko netconsole="@NETCONSOLE@" && log "netconsole up: @NETCONSOLE@"
sleep 1
if [ -f $M/lab_null_deref.ko ]; then
	log "insmod lab_null_deref"
	insmod $M/lab_null_deref.ko
else
	log "sysrq-c"
	echo c > /proc/sysrq-trigger
fi
log "still alive after the crash trigger"
sleep 30
poweroff -f
