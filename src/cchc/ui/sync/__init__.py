"""The parts of the Đồng bộ screen, one job each: this laptop and its certification, sending
(queue, folder or USB, e-mail), receiving, the city's hub, conflicts; and the drive picker."""
