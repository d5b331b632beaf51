resource "aws_security_group" "outside" { description = "SECRETMODULECONTENT" }
