// Where the phone is: one fix for sorting points nearest first, and a watch during a patrol for its track.
// Without permission or signal everything still works, sorted by name.
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});
  let watchId = null;

  cwm.geo = {
    last: null,  // {lat, lng, accuracy, at} of the latest fix, for findings

    // One fix, or null after at most ten seconds.
    locate() {
      if (!navigator.geolocation) return Promise.resolve(null);
      return new Promise((resolve) => {
        navigator.geolocation.getCurrentPosition(
          (position) => resolve(cwm.geo.remember(position)),
          () => resolve(null),
          { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
        );
      });
    },

    remember(position) {
      const { latitude, longitude, accuracy } = position.coords;
      cwm.geo.last = { lat: latitude, lng: longitude, accuracy, at: Math.round(position.timestamp / 1000) };
      return cwm.geo.last;
    },

    // Call onFix({lat, lng, accuracy, at}) for every position while a patrol is open.
    watch(onFix) {
      if (!navigator.geolocation || watchId !== null) return;
      watchId = navigator.geolocation.watchPosition(
        (position) => onFix(cwm.geo.remember(position)),
        () => {},
        { enableHighAccuracy: true, maximumAge: 15000 },
      );
    },

    stop() {
      if (watchId !== null) navigator.geolocation.clearWatch(watchId);
      watchId = null;
    },

    // Metres between two WGS-84 points (haversine; plenty for sorting a grid's points).
    distance(a, b) {
      const rad = (deg) => (deg * Math.PI) / 180;
      const dLat = rad(b.lat - a.lat);
      const dLng = rad(b.lng - a.lng);
      const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
      return 2 * 6371000 * Math.asin(Math.sqrt(h));
    },
  };
})();
