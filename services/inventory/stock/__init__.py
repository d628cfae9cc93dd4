"""Stock: products, stock levels and their movements, adjustments, and the tables and conditional
updates that keep ``0 <= reserved <= on_hand`` whatever runs at the same time."""
