"""Publishes the same N state messages as mqtt-drain-benchmark with paho-mqtt at QoS 1 and the
same in-flight window, and prints messages per second. The payloads are built before the clock
starts, so paho is timed on publishing alone (energymon's figure includes reading the outbox
from disk, building each message and saving its cursor)."""
import sys
import threading
import time

import paho.mqtt
import paho.mqtt.client as mqtt

paho_version = paho.mqtt.__version__

port, count, inflight = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
messages = []
for index in range(count):
    device = "D%04d" % (index % 1000)
    ms = 1_744_286_520_000 + (index // 1000) * 1000
    seconds, millis = divmod(ms, 1000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % millis
    payload = '{"power":%.1f,"energy_kwh":0.0000,"timestamp":"%s","seq":%d}' % (index % 2000 + 0.5, stamp, index + 1)
    messages.append(("energymon/bench/%s/state" % device, payload))

done = threading.Event()
connected = threading.Event()
acknowledged = 0


# At most `inflight` messages handed to paho and not yet acknowledged: paho's own queue scans
# every queued message on each PUBACK, so a million queued at once would be measured as hours.
window = threading.Semaphore(inflight)


def on_publish(client, userdata, mid, reason_code, properties):
    global acknowledged
    acknowledged += 1
    window.release()
    if acknowledged == count:
        done.set()


client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-bench", clean_session=True)
client.max_inflight_messages_set(inflight)
client.max_queued_messages_set(0)
client.on_publish = on_publish
client.on_connect = lambda client, userdata, flags, reason_code, properties: connected.set()
client.connect("127.0.0.1", port)
client.loop_start()
connected.wait(10)
started = time.monotonic()
for topic, payload in messages:
    window.acquire()
    client.publish(topic, payload, qos=1)
done.wait()
elapsed = time.monotonic() - started
client.loop_stop()
client.disconnect()
print("paho-mqtt %s: %d messages at QoS 1, in-flight %d, in %.2f s: %.0f messages/s" % (paho_version, count, inflight, elapsed, count / elapsed))
