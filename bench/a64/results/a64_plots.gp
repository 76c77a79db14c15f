set terminal pngcairo size 960,640 font 'sans,11'
set output 'a64_insns.png'
set title 'Inter-realm messages, sender round trip, stop-and-wait (two Arm CCA realms, QEMU -icount shift=0)'
set xlabel 'message size'
set ylabel 'instructions per message (median; both realms)'
set logscale xy
set grid
set key top left
set format y '10^{%L}'
set xrange [51:655360]
set xtics ("64 B" 64, "128 B" 128, "256 B" 256, "512 B" 512, "1 KiB" 1024, "2 KiB" 2048, "4 KiB" 4096, "8 KiB" 8192, "16 KiB" 16384, "32 KiB" 32768, "64 KiB" 65536, "128 KiB" 131072, "256 KiB" 262144, "512 KiB" 524288) rotate by -35
plot 'a64_csm-copy.dat' using 1:2 with linespoints lc rgb '#1f3a93' pt 5 dt 1 lw 2 title 'CSM, copy (CAEC)', \
     'a64_csm-zerocopy.dat' using 1:2 with linespoints lc rgb '#1b9e3e' pt 7 dt 1 lw 2 title 'CSM, zero-copy ring', \
     'a64_shm-plain.dat' using 1:2 with linespoints lc rgb '#777777' pt 9 dt 2 lw 2 title 'host-visible memory, plaintext (same count as csm-copy)', \
     'a64_shm-zerocopy.dat' using 1:2 with linespoints lc rgb '#9acd32' pt 4 dt 2 lw 2 title 'host-visible memory, zero-copy ring (same count as csm-zerocopy)', \
     'a64_gcm-mbedtls.dat' using 1:2 with linespoints lc rgb '#c0392b' pt 11 dt 1 lw 2 title 'AES-256-GCM, mbedTLS', \
     'a64_gcm-openssl-ce.dat' using 1:2 with linespoints lc rgb '#e67e22' pt 13 dt 1 lw 2 title 'AES-256-GCM, OpenSSL (ARMv8 CE)', \
     'a64_caec-channel-copy.dat' using 1:2 with linespoints lc rgb '#6a3d9a' pt 6 dt 3 lw 2 title 'libcaec channel in realm kernels, copy', \
     'a64_caec-channel-zerocopy.dat' using 1:2 with linespoints lc rgb '#b15928' pt 8 dt 3 lw 2 title 'libcaec channel in realm kernels, zero-copy'

set output 'a64_rmm.png'
set title 'RMM: instructions of one CSM call, as the calling realm counts them'
set xlabel 'region size'
set ylabel 'instructions'
set xrange [0.800000:640.000000]
set xtics ("4 KiB" 1, "8 KiB" 2, "16 KiB" 4, "32 KiB" 8, "64 KiB" 16, "128 KiB" 32, "256 KiB" 64, "512 KiB" 128, "1 MiB" 256, "2 MiB" 512) rotate by -35
plot 'a64_rmm_sweep.dat' using 1:2 with linespoints lc rgb '#8e44ad' lw 2 title 'CSM_SHARE (host populates)' noenhanced, \
     'a64_rmm_sweep.dat' using 1:3 with linespoints lc rgb '#16a085' lw 2 title 'CSM_GRANT' noenhanced, \
     'a64_rmm_sweep.dat' using 1:5 with linespoints lc rgb '#2980b9' lw 2 title 'CSM_ATTACH' noenhanced, \
     'a64_rmm_sweep.dat' using 1:6 with linespoints lc rgb '#d35400' lw 2 title 'CSM_DETACH' noenhanced, \
     'a64_rmm_sweep.dat' using 1:9 with linespoints lc rgb '#c0392b' lw 2 title 'CSM_REVOKE' noenhanced, \
     'a64_rmm_sweep.dat' using 1:10 with linespoints lc rgb '#2c3e50' lw 2 title 'CSM_SEAL' noenhanced, \
     'a64_rmm_sweep.dat' using 1:11 with linespoints lc rgb '#7f8c8d' lw 2 title 'CSM_UNSHARE' noenhanced
